import { z } from 'zod';
import { statedInDocument } from './stated-rule';

/**
 * What String.prototype.trim removes (ECMAScript's WhiteSpace and LineTerminator), spelled out:
 * `\s` differs between ECMAScript and Python, and the API document's patterns are read by both.
 */
const blank = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** Blank, or a control character (C0, DEL, C1): nothing a reader sees. */
const unseen = `${blank}\\u0000-\\u001f\\u007f-\\u009f`;

/**
 * A string of at most `maxLength` characters as the document counts them: by code point (zod's
 * max() counts UTF-16 units, an emoji twice) and as sent, before any trimming.
 */
export const atMostCharacters = (maxLength: number) =>
  z.string().refine((text) => [...text].length <= maxLength, { message: `must be at most ${maxLength} characters`, params: statedInDocument });

/** Text people write and read: trimmed, and not blank (the pattern finds a character trim keeps). */
export const nonBlankText = (maxLength: number) =>
  atMostCharacters(maxLength)
    .trim()
    .regex(new RegExp(`[^${blank}]`), 'must not be blank')
    .meta({ maxLength });

/**
 * Three characters a reader sees, each a whole character (the `u` flag counts an emoji once, as
 * the document's pattern does), among any blanks: what makes a reason a reason.
 */
const reasonPattern = new RegExp(`^[${unseen}]*[^${unseen}][${unseen}]*[^${unseen}][${unseen}]*[^${unseen}]`, 'u');

/** Why an operation was done, kept with it: trimmed, at least three visible characters. */
export const reasonText = (maxLength: number, message: string) =>
  atMostCharacters(maxLength)
    .trim()
    .superRefine((reason, ctx) => {
      if (!reasonPattern.test(reason)) ctx.addIssue({ code: 'custom', message, params: statedInDocument });
    })
    .meta({ maxLength, pattern: reasonPattern.source });
