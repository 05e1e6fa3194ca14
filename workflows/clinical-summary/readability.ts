/**
 * How hard a patient letter is to read: the Flesch-Kincaid grade level, with syllables counted by `syllable`
 * and the formula from `flesch-kincaid`. Pure: the workflow's letter check runs it.
 */
import { fleschKincaid } from 'flesch-kincaid';
import { syllable } from 'syllable';

export function readingGrade(text: string): number {
  const sentences = text.split(/[.!?]+(?:\s|$)/).filter((s) => /\p{L}/u.test(s));
  const words = text.match(/\p{L}[\p{L}'-]*/gu) ?? [];
  if (words.length === 0) return 0;
  const syllables = words.reduce((sum, word) => sum + syllable(word), 0);
  const grade = fleschKincaid({
    sentence: Math.max(1, sentences.length),
    word: words.length,
    syllable: syllables,
  });
  return Math.round(grade * 10) / 10;
}
