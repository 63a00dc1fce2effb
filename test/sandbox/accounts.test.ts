import { describe, expect, it } from 'vitest';
import { SANDBOX_ERRORS } from '../../src/sandbox/index.js';
import { clientFor, PASSWORD, sandboxFor, WORLD } from './helpers.js';

const newAccount = {
  license_quantity: 10,
  password: PASSWORD,
  account: {
    email: 'test@example.com',
    main_contact: 'Account Owner Namer',
    telefone: '(11) 9345-0987',
    url: 'testwebpage.com.br',
  },
};

describe('sandbox accounts', () => {
  it('POST /accounts answers the big account object of the document', async () => {
    const sandbox = await sandboxFor();
    const { httpStatus, body } = await clientFor(sandbox).post('/accounts', newAccount);
    expect(httpStatus).toBe(200);
    expect(body).toMatchObject({ status: 200, success: true });
    expect(body.data).toMatchObject({
      id: 1000,
      telefone: '(11) 9345-0987',
      email: 'test@example.com',
      main_contact: 'Account Owner Namer',
      url: 'testwebpage.com.br',
      ativo: 1,
      razao_social: null,
      token: null,
      partner_id: 1,
      facelift: true,
    });
    expect(sandbox.data().accounts[0]).toMatchObject({
      license_quantity: 10,
      license_code: null,
      password_sha256: PASSWORD,
      deleted: false,
    });
  });

  it('PUT /accounts/:id with account fields answers the account object', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const { body } = await clientFor(sandbox).put('/accounts/1000', {
      account: {
        email: 'novo@acme.com.br',
        main_contact: 'Ana Lúcia Prado',
        telefone: '(11) 1111-2222',
        url: 'acme.com.br',
        ativo: 1,
      },
    });
    expect(body.success).toBe(true);
    expect(body.data).toMatchObject({
      id: 1000,
      email: 'novo@acme.com.br',
      main_contact: 'Ana Lúcia Prado',
      telefone: '(11) 1111-2222',
      ativo: 1,
    });
  });

  it('PUT /accounts/:id with only account.ativo (de)activates, answering no data', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const client = clientFor(sandbox);
    expect((await client.put('/accounts/1000', { account: { ativo: 0 } })).body).toEqual({
      status: 200,
      success: true,
    });
    expect(sandbox.data().accounts[0]?.ativo).toBe(0);
    expect((await client.put('/accounts/1000', { account: { ativo: 1 } })).body).toEqual({
      status: 200,
      success: true,
    });
    expect(sandbox.data().accounts[0]?.ativo).toBe(1);
  });

  it('PUT /accounts/:id with license_quantity or license_code sets them, answering no data', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const client = clientFor(sandbox);
    expect((await client.put('/accounts/1000', { license_quantity: 5 })).body).toEqual({
      status: 200,
      success: true,
    });
    expect((await client.put('/accounts/1000', { license_code: 'PARTNER_X' })).body).toEqual({
      status: 200,
      success: true,
    });
    expect(sandbox.data().accounts[0]).toMatchObject({ license_quantity: 5, license_code: 'PARTNER_X' });
  });

  it('PUT /accounts/:id applies only the first of account, license_quantity, license_code', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    await clientFor(sandbox).put('/accounts/1000', {
      account: { ativo: 0 },
      license_quantity: 99,
      license_code: 'X',
    });
    expect(sandbox.data().accounts[0]).toMatchObject({ ativo: 0, license_quantity: 5, license_code: null });
  });

  it('DELETE /accounts/:id deletes (JSON body with token): the account and what it holds disappear from the API', async () => {
    const sandbox = await sandboxFor({ seed: WORLD });
    const client = clientFor(sandbox);
    expect((await client.delete('/accounts/1000')).body).toEqual({
      status: 200,
      success: true,
      message: 'Account deleted successfully',
    });
    expect(sandbox.data().accounts[0]?.deleted).toBe(true);
    expect((await client.delete('/accounts/1000')).body.errors).toBe(SANDBOX_ERRORS.accountNotFound);
    expect((await client.put('/accounts/1000', { license_quantity: 1 })).body.errors).toBe(
      SANDBOX_ERRORS.accountNotFound,
    );
    expect((await client.get('/agents', { account_id: 1000 })).body.errors).toBe(
      SANDBOX_ERRORS.accountNotFound,
    );
    expect((await client.get('/departments/500/channels')).body.errors).toBe(
      SANDBOX_ERRORS.departmentNotFound,
    );
    const agent = { email: 'z@acme.com.br', name: 'Z', password: PASSWORD, account_id: 1000 };
    expect((await client.post('/agents', { agent })).body.errors).toBe(SANDBOX_ERRORS.accountNotFound);
    const department = { account_id: 1000, name: 'Nova' };
    expect((await client.post('/departments', { department })).body.errors).toBe(
      SANDBOX_ERRORS.accountNotFound,
    );
    // Soft delete: the agents' e-mails stay taken, as the rows still exist.
    const moved = { ...agent, email: 'ana@acme.com.br', account_id: 1001 };
    expect((await client.post('/agents', { agent: moved })).body.errors).toBe(SANDBOX_ERRORS.emailTaken);
  });

  describe('validation errors (HTTP 200, success false)', () => {
    const createCases: [string, Record<string, unknown>, string][] = [
      [
        'a blank e-mail',
        { ...newAccount, account: { ...newAccount.account, email: ' ' } },
        SANDBOX_ERRORS.emailBlank,
      ],
      ['no account object', { license_quantity: 1 }, SANDBOX_ERRORS.emailBlank],
      [
        'a malformed e-mail',
        { ...newAccount, account: { ...newAccount.account, email: 'x' } },
        SANDBOX_ERRORS.emailInvalid,
      ],
      [
        'a blank main contact',
        { ...newAccount, account: { ...newAccount.account, main_contact: '' } },
        SANDBOX_ERRORS.mainContactBlank,
      ],
      [
        'no license_quantity',
        { ...newAccount, license_quantity: undefined },
        SANDBOX_ERRORS.invalidLicenseQuantity,
      ],
      [
        'a fractional license_quantity',
        { ...newAccount, license_quantity: 2.5 },
        SANDBOX_ERRORS.invalidLicenseQuantity,
      ],
      ['a plain-text password', { ...newAccount, password: 'segredo' }, SANDBOX_ERRORS.passwordNotHash],
    ];
    for (const [name, body, error] of createCases) {
      it(`POST /accounts with ${name}: "${error}", nothing created`, async () => {
        const sandbox = await sandboxFor();
        const answer = await clientFor(sandbox).post('/accounts', body);
        expect(answer.httpStatus).toBe(200);
        expect(answer.body).toEqual({ status: 200, success: false, errors: error });
        expect(sandbox.data().accounts).toEqual([]);
      });
    }

    it('PUT /accounts/:id: unknown id, nothing to update, blank e-mail, bad ativo, bad licenses, blank code', async () => {
      const sandbox = await sandboxFor({ seed: WORLD });
      const client = clientFor(sandbox);
      const errorOf = async (path: string, body: Record<string, unknown>) =>
        (await client.put(path, body)).body.errors;
      expect(await errorOf('/accounts/4242', { license_quantity: 1 })).toBe(SANDBOX_ERRORS.accountNotFound);
      expect(await errorOf('/accounts/1000', {})).toBe(SANDBOX_ERRORS.nothingToUpdate);
      expect(await errorOf('/accounts/1000', { account: { name: 'ignored' } })).toBe(
        SANDBOX_ERRORS.nothingToUpdate,
      );
      expect(await errorOf('/accounts/1000', { account: { email: '' } })).toBe(SANDBOX_ERRORS.emailBlank);
      expect(await errorOf('/accounts/1000', { account: { ativo: 2 } })).toBe(SANDBOX_ERRORS.invalidAtivo);
      expect(await errorOf('/accounts/1000', { license_quantity: 'dez' })).toBe(
        SANDBOX_ERRORS.invalidLicenseQuantity,
      );
      expect(await errorOf('/accounts/1000', { license_code: '  ' })).toBe(SANDBOX_ERRORS.licenseCodeBlank);
      expect(sandbox.data().accounts[0]).toMatchObject({
        email: 'contato@acme.com.br',
        ativo: 1,
        license_quantity: 5,
      });
    });

    it('DELETE /accounts/:id of an unknown account', async () => {
      const sandbox = await sandboxFor({ seed: WORLD });
      expect((await clientFor(sandbox).delete('/accounts/31337')).body.errors).toBe(
        SANDBOX_ERRORS.accountNotFound,
      );
    });
  });
});
