import type { OmnizeClient } from '../../src/omnize/client.js';
import { sha256Hex } from '../../src/omnize/password.js';
import {
  ADMIN_AGENT,
  DOCUMENTED_ACCOUNT,
  DOCUMENTED_AGENT,
  LOGIN_ANSWER,
  success,
} from './documented-answers.js';
import { AUTH_ORIGIN } from './support.js';

export const PLAIN_PASSWORD = 's3cret-Plain!';
export const DIGEST = sha256Hex(PLAIN_PASSWORD);
export const AGENT_TOKEN = 'j423j42jn3kj4n';
export const TOKEN = 'hj4h2k3h4k23';
export const MEMBERSHIP_TOKEN = 'B4cPxMMVteyoqCk6UUsK';

/** One endpoint of the document: the call, the exact request it must send, the documented answer and its reading. */
export interface EndpointCase {
  title: string;
  token: string;
  call: (client: OmnizeClient) => Promise<unknown>;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  answer: unknown;
  result: unknown;
  /** The document's error answer for this endpoint ("Invalid token" unless it shows another). */
  documentedError?: string;
  origin?: string;
}

const NEW_AGENT = {
  id: 12153,
  accountId: 3373,
  email: 'agent@example.com',
  name: 'New Agent',
  profile: 'AGENT',
  active: true,
};

/** Agents, accounts and the "Url login" call, in the document's order. */
export const AGENT_AND_ACCOUNT_CASES: EndpointCase[] = [
  {
    title: 'Create Agent',
    token: AGENT_TOKEN,
    call: (client) =>
      client.createAgent({
        accountId: 1111,
        email: 'test@example.com',
        name: 'Test Agent',
        passwordSha256: DIGEST,
        profile: 'ADMIN',
        textLimit: 7,
      }),
    method: 'POST',
    path: '/api/v1/agents',
    query: {},
    body: {
      token: AGENT_TOKEN,
      profile: 'ADMIN',
      agent: {
        email: 'test@example.com',
        name: 'Test Agent',
        password: DIGEST,
        text_limit: 7,
        account_id: 1111,
      },
    },
    answer: success(DOCUMENTED_AGENT),
    result: NEW_AGENT,
  },
  {
    title: 'Update Agent',
    token: AGENT_TOKEN,
    call: (client) =>
      client.updateAgent(12153, {
        email: 'update@example.com',
        name: 'New Name',
        textLimit: 7,
        passwordSha256: DIGEST,
      }),
    method: 'PUT',
    path: '/api/v1/agents/12153',
    query: {},
    body: {
      token: AGENT_TOKEN,
      agent: { email: 'update@example.com', name: 'New Name', text_limit: 7, password: DIGEST },
    },
    answer: success(),
    result: undefined,
    documentedError: 'E-mail can be blank',
  },
  {
    title: 'Update Agent Profile',
    token: AGENT_TOKEN,
    call: (client) => client.updateAgentProfile(12153, 'AGENT'),
    method: 'PUT',
    path: '/api/v1/agents/12153/profile',
    query: {},
    body: { token: AGENT_TOKEN, profile: 'AGENT' },
    answer: success(),
    result: undefined,
  },
  {
    title: 'Retrieve all agents',
    token: TOKEN,
    call: (client) => client.listAgents(1),
    method: 'GET',
    path: '/api/v1/agents',
    query: { token: TOKEN, account_id: '1' },
    body: undefined,
    answer: success([DOCUMENTED_AGENT, ADMIN_AGENT]),
    result: [
      NEW_AGENT,
      { id: 456, accountId: 3373, email: 'ana@example.com', name: 'Ana', profile: 'ADMIN', active: true },
    ],
  },
  {
    title: 'Create Account',
    token: TOKEN,
    call: (client) =>
      client.createAccount({
        licenseQuantity: 10,
        passwordSha256: DIGEST,
        email: 'test@example.com',
        mainContact: 'Account Owner Namer',
        phone: '(11) 9345-0987',
        url: 'testwebpage.com.br',
      }),
    method: 'POST',
    path: '/api/v1/accounts',
    query: {},
    body: {
      token: TOKEN,
      license_quantity: 10,
      password: DIGEST,
      account: {
        email: 'test@example.com',
        main_contact: 'Account Owner Namer',
        telefone: '(11) 9345-0987',
        url: 'testwebpage.com.br',
      },
    },
    answer: success(DOCUMENTED_ACCOUNT),
    result: { id: 4931 },
  },
  {
    title: 'Update Account',
    token: TOKEN,
    call: (client) =>
      client.updateAccount(4931, {
        email: 'test@example.com',
        mainContact: 'Account Owner Namer',
        phone: '(11) 9345-0987',
        url: 'testwebpage.com.br',
        active: true,
      }),
    method: 'PUT',
    path: '/api/v1/accounts/4931',
    query: {},
    body: {
      token: TOKEN,
      account: {
        email: 'test@example.com',
        main_contact: 'Account Owner Namer',
        telefone: '(11) 9345-0987',
        url: 'testwebpage.com.br',
        ativo: 1,
      },
    },
    answer: success(DOCUMENTED_ACCOUNT),
    result: undefined,
  },
  ...[
    { title: 'Inactive Account', call: (client: OmnizeClient) => client.deactivateAccount(4931), ativo: 0 },
    { title: 'Active Account', call: (client: OmnizeClient) => client.activateAccount(4931), ativo: 1 },
  ].map(({ title, call, ativo }) => ({
    title,
    token: TOKEN,
    call,
    method: 'PUT',
    path: '/api/v1/accounts/4931',
    query: {},
    body: { token: TOKEN, account: { ativo } },
    answer: success(),
    result: undefined,
  })),
  {
    title: 'Delete Account',
    token: TOKEN,
    call: (client) => client.deleteAccount(4931),
    method: 'DELETE',
    path: '/api/v1/accounts/4931',
    query: {},
    body: { token: TOKEN },
    answer: { status: 200, success: true, message: 'Account deleted successfully' },
    result: undefined,
  },
  {
    title: 'Update account licenses',
    token: TOKEN,
    call: (client) => client.setLicenseQuantity(4931, 5),
    method: 'PUT',
    path: '/api/v1/accounts/4931',
    query: {},
    body: { token: TOKEN, license_quantity: 5 },
    answer: success(),
    result: undefined,
  },
  {
    title: 'Update account licenses code',
    token: TOKEN,
    call: (client) => client.setLicenseCode(4931, 'PARTNER_X'),
    method: 'PUT',
    path: '/api/v1/accounts/4931',
    query: {},
    body: { token: TOKEN, license_code: 'PARTNER_X' },
    answer: success(),
    result: undefined,
  },
  {
    title: 'Url login',
    token: MEMBERSHIP_TOKEN,
    call: (client) => client.requestLoginToken('user@example.org'),
    method: 'POST',
    path: '/prod/authentication',
    query: {},
    body: { action: 'loginPartner', username: 'user@example.org', token: MEMBERSHIP_TOKEN },
    answer: LOGIN_ANSWER,
    result: LOGIN_ANSWER.token,
    origin: AUTH_ORIGIN,
  },
];
