import type { OmnizeClient } from '../../src/omnize/client.js';
import {
  ADMIN_AGENT,
  CREATED_DEPARTMENT,
  DOCUMENTED_AGENT,
  success,
  UPDATED_DEPARTMENT,
} from './documented-answers.js';
import { type EndpointCase, MEMBERSHIP_TOKEN, TOKEN } from './endpoint-cases.js';

const DEPARTMENT = {
  id: 501,
  accountId: 1,
  name: 'New Department',
  description: 'A new created department',
  active: true,
};

/** "Manage Departments", in the document's order. */
export const DEPARTMENT_CASES: EndpointCase[] = [
  {
    title: 'Departments: Create',
    token: TOKEN,
    call: (client) =>
      client.createDepartment({
        accountId: 1,
        name: 'New Department',
        description: 'A new created department',
        active: true,
        channels: ['chat', 'video', 'audio'],
      }),
    method: 'POST',
    path: '/api/v1/departments',
    query: {},
    body: {
      token: TOKEN,
      department: {
        account_id: 1,
        name: 'New Department',
        description: 'A new created department',
        ativo: 1,
        channels: ['chat', 'video', 'audio'],
      },
    },
    answer: success([CREATED_DEPARTMENT]),
    result: DEPARTMENT,
  },
  {
    title: 'Departments: Update',
    token: TOKEN,
    call: (client) =>
      client.updateDepartment(501, {
        name: 'New Department Name',
        description: 'New department description',
        active: false,
      }),
    method: 'PUT',
    path: '/api/v1/departments/501',
    query: {},
    body: {
      token: TOKEN,
      department: { name: 'New Department Name', description: 'New department description', ativo: 0 },
    },
    answer: success([UPDATED_DEPARTMENT]),
    result: undefined,
  },
  {
    title: 'Departments: Retrieve all',
    token: TOKEN,
    call: (client) => client.listDepartments(1),
    method: 'GET',
    path: '/api/v1/departments',
    query: { token: TOKEN, account_id: '1' },
    body: undefined,
    answer: success([CREATED_DEPARTMENT, { ...UPDATED_DEPARTMENT, id: 502 }]),
    result: [
      DEPARTMENT,
      {
        id: 502,
        accountId: 1,
        name: 'New Department Name',
        description: 'New department description',
        active: false,
      },
    ],
  },
  {
    title: 'Departments: Retrieve all channels',
    token: TOKEN,
    call: (client) => client.listDepartmentChannels(501),
    method: 'GET',
    path: '/api/v1/departments/501/channels',
    query: { token: TOKEN },
    body: undefined,
    answer: success(['chat', 'video', 'audio']),
    result: ['chat', 'video', 'audio'],
  },
  {
    title: 'Departments: Retrieve all agents on a department',
    token: TOKEN,
    call: (client) => client.listDepartmentAgents(501),
    method: 'GET',
    path: '/api/v1/departments/501/agents',
    query: { token: TOKEN },
    body: undefined,
    answer: success([DOCUMENTED_AGENT, ADMIN_AGENT]),
    result: [12153, 456],
  },
  ...(['add_agents', 'remove_agents'] as const).map((call) => ({
    title: `Departments: ${call}`,
    token: MEMBERSHIP_TOKEN,
    call: (client: OmnizeClient) =>
      call === 'add_agents'
        ? client.addAgentsToDepartment(501, [123, 456])
        : client.removeAgentsFromDepartment(501, [123, 456]),
    method: 'POST',
    path: `/api/v1/departments/501/${call}`,
    query: {},
    body: { token: MEMBERSHIP_TOKEN, agents: ['123', '456'] },
    answer: success([DOCUMENTED_AGENT]),
    result: undefined,
  })),
  ...(['add_channels', 'remove_channels'] as const).map((call) => ({
    title: `Departments: ${call}`,
    token: MEMBERSHIP_TOKEN,
    call: (client: OmnizeClient) =>
      call === 'add_channels'
        ? client.addChannelsToDepartment(501, ['audio'])
        : client.removeChannelsFromDepartment(501, ['video']),
    method: 'POST',
    path: `/api/v1/departments/501/${call}`,
    query: {},
    body: { token: MEMBERSHIP_TOKEN, channels: [call === 'add_channels' ? 'audio' : 'video'] },
    answer: success(['chat', 'audio']),
    result: undefined,
  })),
];
