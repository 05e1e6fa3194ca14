/**
 * Word lists the name rules rely on. Kept together so what counts as a title, a legal suffix or an
 * organisation word is decided in one place.
 */

const set = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter(Boolean));

/** Comma-separated phrases: "best regards, kind regards, …". */
const list = (phrases: string): readonly string[] =>
  phrases
    .split(',')
    .map((phrase) => phrase.trim().replace(/\s+/g, ' '))
    .filter(Boolean);

/** Titles written before a name ("Ms. Lopez", "Dr. Alan Whitmore"); lower case, without the period. */
export const HONORIFICS = set(`mr mrs ms miss mx dr prof professor judge justice officer deputy det detective
  sgt sergeant lt lieutenant capt captain attorney atty counselor nurse coach pastor rev reverend father sister
  sr sra srta señor señora don doña mme mlle monsieur madame herr frau`);

/** Letters after a name ("Anita Rao, DDS", "Robert Klein Jr."). */
export const NAME_SUFFIXES = set(`jr sr ii iii iv esq md dds dmd phd rn cpa jd pe do np pa`);

/** Legal forms that end an organisation's name; compared without periods or commas. */
export const LEGAL_SUFFIXES =
  set(`inc incorporated llc lc llp lllp lp pllc pc plc ltd limited corp corporation
  co company gmbh ag sa sas bv nv srl sarl pty ltda`);

/** Written forms of the legal suffixes, for matching a known name with another spelling of its suffix. */
export const LEGAL_SUFFIX_SOURCE =
  '(?:Inc\\.?|Incorporated|L\\.?L\\.?C\\.?|L\\.?L\\.?P\\.?|L\\.?P\\.?|P\\.?L\\.?L\\.?C\\.?|P\\.?C\\.?|Ltd\\.?|Limited|Corp\\.?|Corporation|Co\\.?|Company|GmbH|PLC|Ltda\\.?)';

/** Capitalised words that make a run of capitalised words an organisation ("Desert Sun Health Partners"). */
export const ORG_WORDS = set(`inc incorporated llc llp lp pllc ltd limited corp corporation co company
  companies group partners partnership holdings bank bancorp insurance assurance mutual trust union
  hospital clinic health healthcare medical associates properties realty builders construction contractors
  roofing logistics freight transport transportation trucking movers couriers airlines airline pharmacy foods
  seafoods growers farms software technologies technology systems solutions media apps robotics manufacturing
  industries supply motors rentals management living inn hotel hotels resort university college academy
  foundation ventures studios bakery restaurant cafe coffee grocers markets stores outfitters aggregates
  refining energy utilities telecom wireless dental consulting services pharmaceuticals labs laboratories
  imports exports enterprises brands capital lending mortgage financial securities investments apartments
  homes communities supermarket grocery groceries transit dermatology pediatrics orthopedics chiropractic`);

/** Words after a base name that are still the same organisation ("Harbor Dental Group" → "Harbor Dental"). */
export const GENERIC_ORG_TAIL = set(`group partners holdings company co corporation corp medical center
  hospital clinic`);

/** Words that make a capitalised phrase a public body, a court or a law, which stays in clear. */
export const PUBLIC_BODY_WORDS = set(`court courts department dept police sheriff administration agency
  commission bureau patrol board tribunal ministry embassy consulate office act code statute government
  asylum immigration uscis eeoc irs dmv fbi osha nlrb sec ftc usps`);

/** Words that do not make an organisation's name its own ("Medical Center", "National Services"). */
export const NOT_OWN_NAME_WORDS = set(`the a an of and center centre national general united american
  international global federal state county city community regional public`);

/** Organisation-looking names that are payment networks, public programmes or apps, not parties. */
export const NOT_PARTIES = set(`visa mastercard amex discover medicare medicaid zelle venmo paypal whatsapp
  signal telegram gmail outlook ssn ssi itin ein sevis id dl cdl mrn iban`);

/** Department words that may follow an organisation's short name ("Lakeshore Legal Department"). */
export const ORG_UNIT_WORDS = set(`legal department team office hr accounts finance billing compliance
  operations sales support`);

/** Display names and sign-offs that are roles or teams, not people ("Ops Team", "Accounts Payable"). */
export const ROLE_WORDS = set(`team counsel support service services office info admin administrator billing
  sales intake reception desk department legal accounts payable receivable noreply no-reply notifications
  customer care hr operations ops manager paralegal assistant secretary general owner founder president
  director ceo cfo coo cto vp partner associate attorney lawyer supervisor coordinator specialist officer
  senior junior chief head executive managing`);

/** Capitalised words too common to make an organisation's name on their own ("Medical Center", "First"). */
export const GENERIC_NAME_WORDS = set(`the a an our my your their center centre national general first united
  american international global state county city new north south east west central great royal premier
  united standard universal western eastern northern southern golden silver blue green red lone star summit
  valley desert gulf coast bay lake river mountain sun sunshine pacific atlantic midwest metro city urban
  community citizens federal home liberty capital best advanced allied consolidated continental superior`);

/** Closings that start a signature block; lower case, without the trailing comma. */
export const CLOSINGS = list(`
  best regards, kind regards, warm regards, warmest regards, with regards, regards, best wishes,
  all the best, best, sincerely yours, yours sincerely, yours truly, sincerely, respectfully yours,
  respectfully, cordially, many thanks, thanks so much, thanks again, thanks in advance,
  thank you so much, thank you, thanks, thx, cheers, take care, merci, gracias, saludos, atentamente,
  cordialement, regards from`);

/** Words a short line may hold that are greetings or sign-offs rather than a name. */
export const NOT_A_SIGNATURE =
  set(`hi hello hey dear team all salam bonjour hola olá ola ciao hallo shalom namaste
  greetings thanks thank you regards best
  sincerely cheers yes no ok okay urgent confidential sent from my iphone android please note ps`);

/** English words that are also first names: matched only when capitalised and not opening a sentence. */
export const COMMON_WORD_NAMES =
  set(`mark will bill grace rose may june april august hope faith joy art frank pat
  sue rich dawn summer autumn ray jack guy max miles chase hunter sky star king young long brown green white
  black gray grey hall park lee page bell bush rice price ward wood woods stone hill north south west east
  love rich gay penny ruby amber crystal daisy iris ivy lily violet olive angel christian deacon major
  sterling warren will`);

/** Relations and roles after which a name follows ("my wife Sarah", "the driver, Tyler Brooks"). */
export const RELATION_WORDS = list(`
  wife, husband, spouse, partner, boyfriend, girlfriend, fiancé, fiancée, fiance, fiancee, ex-wife,
  ex-husband, ex, son, daughter, stepson, stepdaughter, child, kid, mother, mom, mum, father, dad,
  brother, sister, nephew, niece, uncle, aunt, cousin, grandson, granddaughter, grandmother,
  grandfather, grandma, grandpa, neighbor, neighbour, landlord, landlady, tenant, roommate, boss,
  manager, store manager, property manager, supervisor, foreman, coworker, co-worker, colleague,
  doctor, surgeon, dentist, nurse, caregiver, adjuster, agent, attorney, lawyer, friend, witness,
  driver, owner, director, officer, cfo, ceo, coo, president, contact, employee, engineer, client,
  caller, caseworker, case worker, social worker, therapist, counselor, teacher, principal, jefe,
  jefa, esposo, esposa, hijo, hija`);

/** Relations that name an organisation when followed by "is"/":" ("Travel insurer is Aviva"). */
export const INSTITUTION_WORDS = list(`
  insurer, insurance company, insurance, carrier, bank, employer, lender, contractor, distributor,
  manufacturer, retailer, company, store, hospital`);

/** Role nouns after a brand that make it an organisation ("an Uber driver", "the Acme truck"). */
export const BRAND_ROLE_WORDS =
  set(`driver drivers truck trucks van vans bus employee employees worker workers
  warehouse manager rep representative vehicle car technician delivery courier account card loan mortgage
  adjuster agent`);

/** Facility nouns after an employer's name ("my job at the amazon warehouse"). */
export const FACILITY_WORDS = set(`warehouse store plant factory restaurant facility branch site
  distribution fulfillment`);

/** Form labels whose value is a person's name. */
export const PERSON_FIELD_LABELS = list(`
  name, full name, your name, client name, client, first name, last name, middle name, surname,
  given name, family name, caller, caller name, clt, contact, contact name, contact person, spouse,
  applicant, claimant, patient, employee, tenant, witness, other driver, driver, deceased,
  beneficiary, nombre, nombre completo, nom, prénom`);

/** Form labels whose value is a person or an organisation, told apart by its words. */
export const PARTY_FIELD_LABELS = list(`
  landlord, contractor, defendant, plaintiff, petitioner, respondent, other party, opposing party,
  adverse party, collector, creditor, original creditor, lender, seller, buyer, partner,
  partner's name, partner name`);

/** Form labels whose value is an organisation's name. */
export const ORG_FIELD_LABELS = list(`
  company, company name, employer, employer name, business, business name, organization,
  organisation, firm, insurer, insurance, insurance company, carrier, bank, landlord company,
  empresa, ins, ins co, insurance co, school, hospital`);

/** Street suffixes (USPS) that end a street name. */
export const STREET_SUFFIX_SOURCE =
  '(?:Street|St|Avenue|Ave|Av|Boulevard|Blvd|Road|Rd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Loop|Alley|Aly|Plaza|Plz|Row|Crescent|Cres|Path|Pike|Turnpike|Tpke|Expressway|Expy|Freeway|Fwy|Broadway|Causeway|Cswy|Point|Pt|Run|Walk|Crossing|Xing|Ridge|Rdg)';

export const STREET_SUFFIXES = new Set(
  STREET_SUFFIX_SOURCE.slice(3, -1)
    .split('|')
    .map((word) => word.toLowerCase()),
);

/** USPS state and territory codes. */
export const US_STATE_CODES = [
  ...set(
    `AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI`,
  ),
];

/** US state names, as written in addresses ("Springfield, Illinois 62701"). */
export const US_STATE_NAMES = list(`
  Alabama, Alaska, Arizona, Arkansas, California, Colorado, Connecticut, Delaware, Florida, Georgia,
  Hawaii, Idaho, Illinois, Indiana, Iowa, Kansas, Kentucky, Louisiana, Maine, Maryland,
  Massachusetts, Michigan, Minnesota, Mississippi, Missouri, Montana, Nebraska, Nevada,
  New Hampshire, New Jersey, New Mexico, New York, North Carolina, North Dakota, Ohio, Oklahoma,
  Oregon, Pennsylvania, Rhode Island, South Carolina, South Dakota, Tennessee, Texas, Utah, Vermont,
  Virginia, Washington, West Virginia, Wisconsin, Wyoming`);
