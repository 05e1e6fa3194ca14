/**
 * Docket sends models pseudonymized text: `[PERSON_1]`, `[ORG_2]`, `[EMAIL_1]`… A real model reads such a
 * placeholder as the name or address it stands for and writes it back as it is. The simulator's readers
 * work on names as people write them, so it swaps each placeholder for a made-up stand-in of the same kind
 * ("Quilla Zephyrine", "Quillb Zephyr Inc", "placeholder1@token.example") before reading, and swaps the
 * stand-ins back for the placeholders in whatever it answers.
 */
const PLACEHOLDER = /\[(PERSON|ORG|EMAIL|PHONE)_(\d+)\]/g;

export interface Placeholders {
  /** The text with every placeholder replaced by its stand-in. */
  read(text: string): string;
  /** The text with every stand-in put back as its placeholder. */
  restore(text: string): string;
}

export function placeholders(): Placeholders {
  const standIns = new Map<string, string>();
  return {
    read(text) {
      return text.replace(PLACEHOLDER, (token, category: string, index: string) => {
        const standIn = standInFor(category, Number(index));
        standIns.set(standIn, token);
        return standIn;
      });
    },
    restore(text) {
      // Longest first, so "Quilla Zephyr Inc" is not cut short by a person's "Quilla Zephyrine".
      let restored = text;
      for (const [standIn, token] of [...standIns].sort((a, b) => b[0].length - a[0].length)) {
        restored = restored.split(standIn).join(token);
      }
      return restored;
    },
  };
}

function standInFor(category: string, index: number): string {
  const tag = `Quill${letters(index)}`;
  switch (category) {
    case 'PERSON':
      return `${tag} Zephyrine`;
    case 'ORG':
      return `${tag} Zephyr Inc`;
    case 'EMAIL':
      return `placeholder${index}@token.example`;
    default:
      return `+1 555 010 ${String(1000 + index).slice(-4)}`;
  }
}

/** 1 → "a", 26 → "z", 27 → "aa". */
function letters(index: number): string {
  let out = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26))
    out = String.fromCharCode(97 + ((n - 1) % 26)) + out;
  return out;
}
