import { z } from 'zod';
import { nonBlankText } from './text';

/**
 * A text that people read, written by whoever authors a plan: Bahasa Indonesia first, English
 * second, as the console and e-mails show them by the reader's language.
 */
export const LabelSchema = z.object({
  id: nonBlankText(200),
  en: nonBlankText(200),
});
export type Label = z.infer<typeof LabelSchema>;

/** A plan's title: one text for every reader, or a label in both languages. */
export const titleSchema = (maxLength: number) => z.union([nonBlankText(maxLength), LabelSchema]);
export type Title = z.infer<ReturnType<typeof titleSchema>>;

/** A title or label in the reader's language. */
export const textIn = (title: Title, language: keyof Label): string => (typeof title === 'string' ? title : title[language]);
