import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createBaselineActivities } from './baseline-activities';

/** The baseline's worker, a process of its own like Sinergi's: argv = address, task queue. */
async function main(): Promise<void> {
  const [address = '127.0.0.1:7233', taskQueue = 'baseline'] = process.argv.slice(2);
  const clientConnection = await Connection.connect({ address });
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: require.resolve('./baseline-workflow'),
      activities: createBaselineActivities(new Client({ connection: clientConnection })),
    });
    await worker.run();
  } finally {
    await connection.close();
    await clientConnection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
