import { open } from 'node:fs/promises';
import type { RecordCipher } from '../lib/record-cipher';
import { HouseholdSchema, type Household } from '../domain/household';

export interface HouseholdBatch {
  /** Each household with the byte offset just after its line, to resume from. */
  households: { household: Household; endOffset: number }[];
  nextOffset: number;
  end: boolean;
}

/**
 * Reads up to `maxRows` households of a cohort file (one sealed household per line, or plain JSON
 * from before encryption) from a byte offset, so a rollout can resume anywhere in a 100,000-line
 * file without reading it again.
 */
export async function readHouseholdBatch(cipher: RecordCipher, file: string, fromOffset: number, maxRows: number): Promise<HouseholdBatch> {
  const handle = await open(file, 'r');
  try {
    const households: HouseholdBatch['households'] = [];
    let offset = fromOffset;
    let carry = Buffer.alloc(0);
    const chunk = Buffer.alloc(256 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset + carry.length);
      const data = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      let start = 0;
      for (let nl = data.indexOf(10); nl !== -1 && households.length < maxRows; nl = data.indexOf(10, start)) {
        const line = data.subarray(start, nl).toString('utf8');
        start = nl + 1;
        if (line.trim()) households.push({ household: HouseholdSchema.parse(JSON.parse(cipher.open(line.trim()))), endOffset: offset + start });
      }
      offset += start;
      carry = data.subarray(start);
      if (households.length >= maxRows) {
        const { bytesRead: more } = await handle.read(Buffer.alloc(1), 0, 1, offset);
        return { households, nextOffset: offset, end: more === 0 };
      }
      if (bytesRead === 0) return { households, nextOffset: offset, end: true };
    }
  } finally {
    await handle.close();
  }
}

/** The whole cohort file, a batch of households at a time. */
export async function* householdBatches(cipher: RecordCipher, file: string, batchSize: number): AsyncGenerator<Household[]> {
  for (let offset = 0, end = false; !end; ) {
    const batch = await readHouseholdBatch(cipher, file, offset, batchSize);
    yield batch.households.map((h) => h.household);
    offset = batch.nextOffset;
    end = batch.end;
  }
}
