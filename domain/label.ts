import { z } from 'zod';

/**
 * A text that people read, written by whoever authors a plan: Bahasa Indonesia first, English
 * second, as the console and e-mails show them by the reader's language.
 */
export const LabelSchema = z.object({
  id: z.string().trim().min(1).max(200),
  en: z.string().trim().min(1).max(200),
});
export type Label = z.infer<typeof LabelSchema>;
