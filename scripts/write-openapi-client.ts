import { writeFile } from 'node:fs/promises';
import { clientSchemaPath, openApiClientSchema } from './openapi-client-schema';

async function main(): Promise<void> {
  await writeFile(clientSchemaPath, await openApiClientSchema());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
