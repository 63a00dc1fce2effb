import { createAccount, deleteAccount, updateAccount } from './accounts.js';
import { createAgent, listAgents, updateAgent, updateAgentProfile } from './agents.js';
import {
  createDepartment,
  listDepartmentAgents,
  listDepartmentChannels,
  listDepartments,
  updateDepartment,
} from './departments.js';
import { addAgents, addChannels, removeAgents, removeChannels } from './membership.js';
import type { Handler } from './wire.js';

/** Where the document's endpoints live, relative to the server's root. */
export const API_PREFIX = '/api/v1';
export const AUTHENTICATION_PATH = '/authentication';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface Route {
  method: HttpMethod;
  /** The path under /api/v1, `:id` standing for one path segment. */
  path: string;
  handle: Handler;
}

/** Every endpoint of the document. */
const ROUTES: Route[] = [
  { method: 'POST', path: '/agents', handle: createAgent },
  { method: 'GET', path: '/agents', handle: listAgents },
  { method: 'PUT', path: '/agents/:id', handle: updateAgent },
  { method: 'PUT', path: '/agents/:id/profile', handle: updateAgentProfile },
  { method: 'POST', path: '/accounts', handle: createAccount },
  { method: 'PUT', path: '/accounts/:id', handle: updateAccount },
  { method: 'DELETE', path: '/accounts/:id', handle: deleteAccount },
  { method: 'POST', path: '/departments', handle: createDepartment },
  { method: 'GET', path: '/departments', handle: listDepartments },
  { method: 'PUT', path: '/departments/:id', handle: updateDepartment },
  { method: 'GET', path: '/departments/:id/channels', handle: listDepartmentChannels },
  { method: 'GET', path: '/departments/:id/agents', handle: listDepartmentAgents },
  { method: 'POST', path: '/departments/:id/add_agents', handle: addAgents },
  { method: 'POST', path: '/departments/:id/remove_agents', handle: removeAgents },
  { method: 'POST', path: '/departments/:id/add_channels', handle: addChannels },
  { method: 'POST', path: '/departments/:id/remove_channels', handle: removeChannels },
];

/** A route found for a request: its handler and the `:id` segment, if the path has one. */
export interface RouteMatch {
  handle: Handler;
  id: string | undefined;
  /** Writes change the data (everything but GET): a dropped connection may apply them first. */
  write: boolean;
}

const COMPILED = ROUTES.map((route) => ({
  ...route,
  // A trailing slash is tolerated, as Rails does.
  pattern: new RegExp(`^${API_PREFIX}${route.path.replace(':id', '([^/]+)')}/?$`),
}));

/** The route for a method and a URL path (without the query), or undefined: the server answers 404. */
export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  for (const route of COMPILED) {
    if (route.method !== method) continue;
    const found = route.pattern.exec(pathname);
    if (found !== null) {
      return { handle: route.handle, id: found[1], write: method !== 'GET' };
    }
  }
  return undefined;
}
