import { loadConfig } from '../../config/config';
import { startMailSink } from './start-mail-sink';

async function main(): Promise<void> {
  const { mailSink } = loadConfig();
  const sink = await startMailSink(mailSink);
  console.log(`mail sink: SMTP on ${sink.smtpUrl}, received messages at ${sink.httpUrl}/messages`);
  const stop = () => void sink.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
