import { filledText, isRecord, readAtivo, readChannels, readId, readText } from './input.js';
import { SANDBOX_ERRORS } from './messages.js';
import { agentObject, departmentObject, failure, type Handler, success } from './wire.js';

/**
 * POST /departments `{token, department:{account_id,name,description,ativo,channels}}`
 * → `data: [createdObject]` (a one-element list, as the document shows).
 */
export const createDepartment: Handler = ({ store, body, now }) => {
  const fields = isRecord(body.department) ? body.department : {};
  const account = store.liveAccount(readId(fields.account_id));
  if (account === undefined) return failure(SANDBOX_ERRORS.accountNotFound);
  const name = filledText(fields.name);
  if (name === undefined) return failure(SANDBOX_ERRORS.nameBlank);
  if (store.departmentNameTaken(account.id, name)) return failure(SANDBOX_ERRORS.departmentNameTaken);
  const ativo = fields.ativo === undefined ? 1 : readAtivo(fields.ativo);
  if (ativo === undefined) return failure(SANDBOX_ERRORS.invalidAtivo);
  const channels =
    fields.channels === undefined || fields.channels === null ? [] : readChannels(fields.channels);
  if (channels === undefined) return failure(SANDBOX_ERRORS.invalidChannel);
  const department = store.createDepartment({
    account_id: account.id,
    name,
    description: readText(fields.description) ?? '',
    ativo,
    channels,
    agentIds: new Set(),
    date_creation: now,
    change_date: now,
  });
  return success([departmentObject(department)]);
};

/** PUT /departments/:id `{token, department:{name?,description?,ativo?}}` → `data: [updatedObject]`. */
export const updateDepartment: Handler = ({ store, id, body, now }) => {
  const department = store.liveDepartment(readId(id));
  if (department === undefined) return failure(SANDBOX_ERRORS.departmentNotFound);
  const fields = body.department;
  if (!isRecord(fields) || ['name', 'description', 'ativo'].every((key) => fields[key] === undefined)) {
    return failure(SANDBOX_ERRORS.nothingToUpdate);
  }
  const name = fields.name === undefined ? department.name : filledText(fields.name);
  if (name === undefined) return failure(SANDBOX_ERRORS.nameBlank);
  if (store.departmentNameTaken(department.account_id, name, department.id)) {
    return failure(SANDBOX_ERRORS.departmentNameTaken);
  }
  const ativo = fields.ativo === undefined ? department.ativo : readAtivo(fields.ativo);
  if (ativo === undefined) return failure(SANDBOX_ERRORS.invalidAtivo);
  department.name = name;
  department.ativo = ativo;
  if (fields.description !== undefined) department.description = readText(fields.description) ?? '';
  department.change_date = now;
  return success([departmentObject(department)]);
};

/** GET /departments?token=&account_id= → the account's departments, active or not. */
export const listDepartments: Handler = ({ store, query }) => {
  const account = store.liveAccount(readId(query.get('account_id') ?? undefined));
  if (account === undefined) return failure(SANDBOX_ERRORS.accountNotFound);
  return success(store.departmentsOfAccount(account.id).map(departmentObject));
};

/** GET /departments/:id/channels?token= → the channel names as plain strings, e.g. `["chat","audio"]`. */
export const listDepartmentChannels: Handler = ({ store, id }) => {
  const department = store.liveDepartment(readId(id));
  if (department === undefined) return failure(SANDBOX_ERRORS.departmentNotFound);
  return success([...department.channels]);
};

/** GET /departments/:id/agents?token= → the department's agents as agent objects. */
export const listDepartmentAgents: Handler = ({ store, id }) => {
  const department = store.liveDepartment(readId(id));
  if (department === undefined) return failure(SANDBOX_ERRORS.departmentNotFound);
  return success(store.membersOf(department).map(agentObject));
};
