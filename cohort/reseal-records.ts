import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { DecryptionError } from '../lib/key-ring';
import { keyIdOf } from '../lib/record-cipher';
import { resealed } from '../records/reseal-columns';
import type { DataDir } from './cohort-paths';
import { sealedFileKinds, sealedFiles, type SealedFile, type SealedFileKind } from './sealed-files';

export interface ResealCounts {
  files: number;
  /** Records that were plain or sealed under an older key, now sealed under the current one. */
  resealed: number;
  alreadyCurrent: number;
  /** Records that would not open (a key the ring lacks, an altered record, a line cut short by a crash): kept as they are. */
  unreadable: number;
}

/**
 * Rewrites every sealed record in a file under DATA_DIR (the personal-data audit) that is plain (written before encryption) or
 * sealed under an older key, under the current key, so the old key can leave the ring once no
 * Temporal history needs it either. A file is written beside itself and renamed over it (a crash
 * leaves the old file or the new, never half of one); a file whose records are all current is
 * not touched, so a second run changes nothing. Counts and problems name files, record numbers
 * and key ids: no record's content leaves here.
 */
export async function resealDataDir(dataDir: DataDir) {
  const counts = Object.fromEntries(sealedFileKinds.map((kind) => [kind, { files: 0, resealed: 0, alreadyCurrent: 0, unreadable: 0 }])) as Record<SealedFileKind, ResealCounts>;
  const problems: string[] = [];
  for (const sealed of await sealedFiles(dataDir)) {
    const of = counts[sealed.kind];
    of.files += 1;
    const done = await resealFile(dataDir, sealed, problems);
    of.resealed += done.resealed;
    of.alreadyCurrent += done.alreadyCurrent;
    of.unreadable += done.unreadable;
  }
  return { counts, problems };
}

async function resealFile(dataDir: DataDir, { file }: SealedFile, problems: string[]) {
  const name = path.relative(dataDir.root, file);
  const before = await stat(file);
  const tmp = `${file}.reseal-${process.pid}.tmp`;
  const done = { resealed: 0, alreadyCurrent: 0, unreadable: 0 };
  let n = 0;
  const underCurrentKey = (record: string) => {
    n += 1;
    if (keyIdOf(record) === dataDir.cipher.currentKeyId) {
      done.alreadyCurrent += 1;
      return record;
    }
    const again = resealed(dataDir.cipher, record);
    if (again instanceof DecryptionError) {
      done.unreadable += 1;
      problems.push(`${name}: record ${n}: ${again.message}`);
      return record;
    }
    done.resealed += 1;
    return again;
  };
  const out = createWriteStream(tmp);
  try {
    for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      const record = line.trim();
      if (record && !out.write(`${underCurrentKey(record)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.end();
    await finished(out);
    if (done.resealed === 0) return done;
    const handle = await open(tmp, 'r');
    await handle.sync().finally(() => handle.close());
    const after = await stat(file);
    if (after.ino !== before.ino || after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw new Error(`${name} changed while it was being resealed: stop the API and the workers, then run this again`);
    }
    await rename(tmp, file);
    return done;
  } finally {
    out.destroy();
    await rm(tmp, { force: true });
  }
}
