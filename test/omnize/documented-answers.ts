/**
 * The answers the Partner API document shows, copied from it (Ruby's `nil`
 * written as null). `[createdObject]`, `[listOfAgents]` and friends are not
 * spelled out there; the objects used for them carry the fields API-NOTES
 * expects.
 */

export const DOCUMENTED_AGENT = {
  id: 12153,
  name: 'New Agent',
  password: null,
  administrator: 'NAO',
  email: 'agent@example.com',
  ativo: 1,
  photo: null,
  subscriber_id: null,
  account_id: 3373,
  date_creation: '2017-06-20 20:24:51',
  change_date: '2017-06-20 20:24:51',
  user_creation: null,
  user_change: null,
  version_register: 0,
  register_mobile_id: null,
  photo_expired_date: null,
  bucket_conf: null,
};

export const DOCUMENTED_ACCOUNT = {
  id: 4931,
  name: null,
  razao_social: null,
  inscricao_estadual: null,
  cpfcnpj: null,
  endereco: null,
  bairro: null,
  cidade: null,
  estado: null,
  telefone: '(11) 98877-6655',
  telefone1: null,
  email: 'test@example.org',
  main_contact: 'Test Account',
  iugu_id: null,
  validate_hash: true,
  subscriber_id: null,
  domain_id: 4926,
  ativo: 1,
  version_register: 0,
  user_creation: null,
  date_creation: '2017-06-02 19:24:00',
  user_change: null,
  change_date: '2017-06-02 19:24:00',
  cep: null,
  user_last_access: null,
  date_last_access: null,
  region_id: 36,
  segment_id: 1,
  url: 'www.test.com',
  whatsapp: null,
  token: null,
  partner_id: 1,
  facelift: true,
};

/** A department as the create example would return it (`ativo` 1, IDs as numbers). */
export const CREATED_DEPARTMENT = {
  id: 501,
  account_id: 1,
  name: 'New Department',
  description: 'A new created department',
  ativo: 1,
};

export const UPDATED_DEPARTMENT = {
  id: 501,
  account_id: 1,
  name: 'New Department Name',
  description: 'New department description',
  ativo: 0,
};

/** An admin agent in the same shape as the document's agent. */
export const ADMIN_AGENT = {
  ...DOCUMENTED_AGENT,
  id: 456,
  name: 'Ana',
  email: 'ana@example.com',
  administrator: 'SIM',
};

export function success(data?: unknown): Record<string, unknown> {
  return data === undefined ? { status: 200, success: true } : { status: 200, success: true, data };
}

export function failure(errors: string): Record<string, unknown> {
  return { status: 200, success: false, errors };
}

export const LOGIN_ANSWER = { message: '', token: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVaRp5D0e3', status: 200 };
