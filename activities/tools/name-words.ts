/**
 * The words a name is read around (titles, suffixes, legal forms, particles, departments), for name-match.ts.
 * Data only, all in normalizeName's form (lowercase, no accents or dots).
 */
import { CORPORATE_SUFFIXES } from '../../db';

/** Word lists, written as one string each; all in normalizeName's form (lowercase, no accents or dots). */
const words = (list: string): ReadonlySet<string> => new Set(list.split(' '));
const phrases = (list: string) =>
  list
    .split('|')
    .map((p) => p.split(' '))
    .sort((a, b) => b.length - a.length);

/** Titles before a name, in English, Spanish, French and Portuguese ('Doña' is 'dona' once normalised). */
export const TITLES = words(
  'mr mrs ms miss mx mister dr doctor prof professor sir dame rev reverend hon honorable honourable ' +
    'sr sra srta senor senora senorita dra mme mlle madame mademoiselle monsieur lic ing atty',
);
/** Titles that may be a first name or initial ('Don Whitaker', 'M. Dupont'): dropped before 2+ words. */
export const AMBIGUOUS_TITLES = words('m don dona judge');
/** Generation and post-nominals after a person's name ('Sr' is Señor before a name, Senior after it). */
export const SUFFIXES = words('jr jnr sr snr ii iii iv esq esquire md phd jd dds cpa');
/**
 * Trailing legal forms: normalizeName's (again, for one bared by a dropped department) and foreign ones; and
 * the 'and' that normalizeName leaves of '& Co.'.
 */
export const LEGAL_FORMS = phrases(
  ['and', ...CORPORATE_SUFFIXES].join('|') +
    '|s de rl de cv|sa de cv|sab de cv|sapi de cv|sas de cv|s de rl|s en c|y cia|sa|sl|slu|srl|sas|sarl|' +
    'sapi|sab|sc|spa|gmbh|ag|kg|bv|nv|ltda|eirl|pty|pte|bhd|ab|oy|oyj',
);
/** Name particles: 'Maria de Sa' keeps 'sa', which after 'de' is a surname (Sá), not a sociedad anónima. */
export const PARTICLES = words('de da do dos das del della di du la le van von');
/** Departments an organisation signs as ('Acme Freight Legal Department', 'Claims Dept., Pacific Crest'). */
export const DEPARTMENTS = phrases(
  'office of the general counsel|office of general counsel|general counsel|accounts payable|' +
    'accounts receivable|human resources|risk management|recursos humanos|cuentas por pagar|' +
    'cuentas por cobrar|legal|claims|billing|hr|compliance|department|dept|depto|departamento|juridico|' +
    'juridica|division|unit|desk|team|operations',
);
/** Words that open a department name only with one of these ('Legal Department', not 'Legal & General'). */
export const DEPARTMENT_MARKERS = words('department dept depto departamento division');
export const CONNECTIVES = words('and of the y de del at');
export const DEPARTMENT_WORDS: ReadonlySet<string> = new Set([...DEPARTMENTS.flat(), ...CONNECTIVES]);
export const isDepartment = (tokens: readonly string[]) => tokens.every((t) => DEPARTMENT_WORDS.has(t));

/** Shared and role mailboxes: they name a function, not a person. */
export const ROLE_MAILBOXES = words(
  'info legal office admin administrator contact contacts hello hi noreply donotreply reply no mail email ' +
    'support help sales billing accounts accounting finance hr jobs careers team webmaster postmaster ' +
    'abuse security privacy compliance claims intake reception frontdesk enquiries inquiries service ' +
    'services customerservice marketing press media news newsletter notifications alerts general staff ' +
    'hola contacto oficina ventas soporte facturacion juridico recepcion administracion',
);
