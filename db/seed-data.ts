/**
 * The demo directory `npm start` and the tests load: a small firm's clients, matters and adverse parties.
 * Names that matter for conflict checks:
 * - 'Acme Freight Inc.' is adverse in open matter M-2001 (for Northwind): Acme as a new client is a
 *   conflict. 'Pacific Crest Insurance Co.' (M-2002) and 'Daniel Whitaker' (M-2004) likewise.
 * - 'Harbor Dental Group Inc.' is a client with open matter M-2003: Harbor Dental as an opposing party
 *   is a conflict.
 * - "James O'Connor" is a former client (closed matter only): a conflict with no open matter.
 * - 'Lone Star Title Co.' and 'Metro Grocers Inc.' are adverse only in closed matters: no conflict.
 * Every e-mail is on example.com or an .example domain. All people and companies are invented.
 */

export const SEED_CLIENTS: ReadonlyArray<{
  clientId: string;
  name: string;
  email: string | null;
  phone: string | null;
  kind: 'person' | 'organization';
}> = [
  {
    clientId: 'CL-1001',
    name: 'Northwind Logistics LLC',
    email: 'legal@northwind-logistics.example',
    phone: '+1 206 555 0110',
    kind: 'organization',
  },
  {
    clientId: 'CL-1002',
    name: 'Maria Gonzalez',
    email: 'maria.gonzalez@example.com',
    phone: '+1 213 555 0123',
    kind: 'person',
  },
  {
    clientId: 'CL-1003',
    name: 'Harbor Dental Group Inc.',
    email: 'office@harbordental.example',
    phone: '+1 305 555 0134',
    kind: 'organization',
  },
  { clientId: 'CL-1004', name: 'Wei Chen', email: 'wei.chen@example.com', phone: null, kind: 'person' },
  {
    clientId: 'CL-1005',
    name: 'Bluebonnet Properties LLC',
    email: 'deals@bluebonnet.example',
    phone: '+1 512 555 0156',
    kind: 'organization',
  },
  {
    clientId: 'CL-1006',
    name: 'Sarah Whitaker',
    email: 'sarah.whitaker@example.com',
    phone: '+1 312 555 0167',
    kind: 'person',
  },
  {
    clientId: 'CL-1007',
    name: 'Lakeshore Manufacturing Corp.',
    email: 'counsel@lakeshore-mfg.example',
    phone: '+1 773 555 0178',
    kind: 'organization',
  },
  {
    clientId: 'CL-1008',
    name: 'Olivia Martin',
    email: 'olivia.martin@example.com',
    phone: '+1 646 555 0189',
    kind: 'person',
  },
  {
    clientId: 'CL-1009',
    name: 'Evergreen Software Inc.',
    email: 'legal@evergreensoftware.example',
    phone: '+1 425 555 0190',
    kind: 'organization',
  },
  {
    clientId: 'CL-1010',
    name: 'Robert Klein',
    email: 'rklein@example.com',
    phone: '+1 954 555 0101',
    kind: 'person',
  },
  {
    clientId: 'CL-1011',
    name: 'Pinecrest Capital Partners LP',
    email: 'ops@pinecrest.example',
    phone: null,
    kind: 'organization',
  },
  {
    clientId: 'CL-1012',
    name: "James O'Connor",
    email: 'jim.oconnor@example.com',
    phone: '+1 718 555 0112',
    kind: 'person',
  },
];

export const SEED_MATTERS: ReadonlyArray<{
  matterId: string;
  clientId: string;
  title: string;
  matterType: string;
  status: 'open' | 'closed';
  openedAt: string;
}> = [
  {
    matterId: 'M-2001',
    clientId: 'CL-1001',
    title: 'Northwind v. Acme Freight: breach of carriage agreement',
    matterType: 'commercial_contract',
    status: 'open',
    openedAt: '2026-02-03',
  },
  {
    matterId: 'M-2002',
    clientId: 'CL-1002',
    title: 'Gonzalez: motor vehicle injury claim',
    matterType: 'personal_injury',
    status: 'open',
    openedAt: '2026-04-17',
  },
  {
    matterId: 'M-2003',
    clientId: 'CL-1003',
    title: 'Harbor Dental: commercial lease dispute',
    matterType: 'real_estate',
    status: 'open',
    openedAt: '2026-06-09',
  },
  {
    matterId: 'M-2004',
    clientId: 'CL-1006',
    title: 'Whitaker: dissolution of marriage',
    matterType: 'family',
    status: 'open',
    openedAt: '2026-05-21',
  },
  {
    matterId: 'M-2005',
    clientId: 'CL-1005',
    title: 'Bluebonnet: purchase of Austin warehouse',
    matterType: 'real_estate',
    status: 'closed',
    openedAt: '2025-03-11',
  },
  {
    matterId: 'M-2006',
    clientId: 'CL-1007',
    title: 'Lakeshore: supplier contract dispute',
    matterType: 'commercial_contract',
    status: 'open',
    openedAt: '2026-01-14',
  },
  {
    matterId: 'M-2007',
    clientId: 'CL-1008',
    title: 'Martin: wrongful termination',
    matterType: 'employment',
    status: 'open',
    openedAt: '2026-08-25',
  },
  {
    matterId: 'M-2008',
    clientId: 'CL-1009',
    title: 'Evergreen Software: trademark opposition',
    matterType: 'intellectual_property',
    status: 'open',
    openedAt: '2026-03-30',
  },
  {
    matterId: 'M-2009',
    clientId: 'CL-1010',
    title: 'Estate of Helen Klein: probate',
    matterType: 'estate_probate',
    status: 'open',
    openedAt: '2026-07-02',
  },
  {
    matterId: 'M-2010',
    clientId: 'CL-1012',
    title: "O'Connor: slip and fall",
    matterType: 'personal_injury',
    status: 'closed',
    openedAt: '2024-10-08',
  },
  {
    matterId: 'M-2011',
    clientId: 'CL-1003',
    title: 'Harbor Dental: employment policies review',
    matterType: 'employment',
    status: 'closed',
    openedAt: '2025-01-20',
  },
];

export const SEED_ADVERSE_PARTIES: ReadonlyArray<{ id: string; matterId: string; name: string }> = [
  { id: 'AP-3001', matterId: 'M-2001', name: 'Acme Freight Inc.' },
  { id: 'AP-3002', matterId: 'M-2002', name: 'Pacific Crest Insurance Co.' },
  { id: 'AP-3003', matterId: 'M-2002', name: 'Tyler Brooks' },
  { id: 'AP-3004', matterId: 'M-2003', name: 'Seaside Plaza Holdings LLC' },
  { id: 'AP-3005', matterId: 'M-2004', name: 'Daniel Whitaker' },
  { id: 'AP-3006', matterId: 'M-2005', name: 'Lone Star Title Co.' },
  { id: 'AP-3007', matterId: 'M-2006', name: 'Midwest Steel Supply Inc.' },
  { id: 'AP-3008', matterId: 'M-2007', name: 'Brightline Media Inc.' },
  { id: 'AP-3009', matterId: 'M-2008', name: 'Cobalt Apps Inc.' },
  { id: 'AP-3010', matterId: 'M-2009', name: 'Mark Klein' },
  { id: 'AP-3011', matterId: 'M-2010', name: 'Metro Grocers Inc.' },
];
