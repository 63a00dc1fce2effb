import { describe, expect, it } from 'vitest';
import { fieldOf, kindOfFileName, kindOfSheet, normalizeHeader } from '../../src/manifest/headers.js';
import {
  Invalid,
  parseAccountStatus,
  parseChannels,
  parseEmail,
  parseEntityStatus,
  parseOmnizeId,
  parseProfile,
  parseWholeNumber,
  splitList,
} from '../../src/manifest/values.js';

const message = (parsed: unknown) => (parsed instanceof Invalid ? parsed.message : undefined);

describe('whole numbers typed as text', () => {
  it.each([
    ['10', 10],
    ['0', 0],
    ['10.0', 10],
    ['10,00', 10],
    ['007', 7],
  ])('reads %j as %j', (text, value) => {
    expect(parseWholeNumber(text)).toBe(value);
  });

  it.each([
    ['1.234', '"1.234" is ambiguous (thousands or decimals?): write the number without separators'],
    ['1,000', '"1,000" is ambiguous (thousands or decimals?): write the number without separators'],
    ['1.5', '"1.5" is not a whole number ≥ 0'],
    ['-3', '"-3" is negative; a whole number ≥ 0 is expected'],
    ['dez', '"dez" is not a whole number ≥ 0'],
    ['1e3', '"1e3" is not a whole number ≥ 0'],
    ['99999999999999999999', '"99999999999999999999" is too large'],
  ])('refuses %j', (text, expected) => {
    expect(message(parseWholeNumber(text))).toBe(expected);
  });

  it('wants Omnize IDs of at least 1', () => {
    expect(parseOmnizeId('42')).toBe(42);
    expect(message(parseOmnizeId('0'))).toBe('"0" is not an Omnize account ID (a whole number ≥ 1)');
  });
});

describe('vocabularies', () => {
  it('reads statuses in English and Portuguese, and the ativo column’s 1/0, sim/não', () => {
    expect(['active', 'Inativo', '1', '0', 'Sim', 'NÃO', 'TRUE', 'falso'].map(parseEntityStatus)).toEqual([
      'active',
      'inactive',
      'active',
      'inactive',
      'active',
      'inactive',
      'active',
      'inactive',
    ]);
    expect(parseAccountStatus('Excluído')).toBe('deleted');
    expect(message(parseEntityStatus('deleted'))).toBe(
      '"deleted" is not a status: use active or inactive (or 1/0)',
    );
    expect(message(parseAccountStatus('paused'))).toBe(
      '"paused" is not a status: use active, inactive or deleted (or 1/0)',
    );
  });

  it('reads profiles in any case, with Portuguese names', () => {
    expect(['agent', 'ADMIN', 'Administrador', 'agente'].map(parseProfile)).toEqual([
      'AGENT',
      'ADMIN',
      'ADMIN',
      'AGENT',
    ]);
    expect(message(parseProfile('SUPERVISOR'))).toBe('"SUPERVISOR" is not a profile: use AGENT or ADMIN');
  });

  it('splits channel lists on ; , or |, once each, accents ignored', () => {
    expect(parseChannels('chat; Vídeo|áudio,chat')).toEqual(['chat', 'video', 'audio']);
    expect(parseChannels('')).toEqual([]);
    expect(message(parseChannels('chat;whatsapp'))).toBe(
      '"whatsapp" is not a channel: use chat, video or audio',
    );
    expect(splitList(' Vendas ;; Suporte Técnico |')).toEqual(['Vendas', 'Suporte Técnico']);
  });

  it('checks e-mail addresses, and cuts long values in messages', () => {
    expect(parseEmail('joão@acme.com.br')).toBe('joão@acme.com.br');
    for (const bad of ['ana', 'ana@acme', 'ana@@acme.com', 'ana @acme.com', 'a@b.com;c@d.com ']) {
      expect(parseEmail(bad)).toBeInstanceOf(Invalid);
    }
    expect(message(parseEmail(`${'x'.repeat(60)}@`))).toBe(
      `"${'x'.repeat(40)}…" is not a valid e-mail address`,
    );
  });
});

describe('headers and names', () => {
  it('matches headers without case, accents or spacing, with the Portuguese aliases', () => {
    expect(normalizeHeader('  Licenças ')).toBe('licencas');
    expect(
      ['E-mail', 'Nome', 'Telefone', 'Departamentos', 'PERFIL', 'licencas', 'Ativo', 'Main Contact'].map(
        (header) =>
          fieldOf(
            header === 'Telefone' || header === 'Main Contact' || header === 'licencas'
              ? 'accounts'
              : 'agents',
            header,
          ),
      ),
    ).toEqual([
      'email',
      'name',
      'telefone',
      'departments',
      'profile',
      'license_quantity',
      undefined,
      'main_contact',
    ]);
    expect(fieldOf('accounts', 'ativo')).toBe('status');
    expect(fieldOf('agents', 'phone')).toBeUndefined();
  });

  it('tells the kind from sheet and file names', () => {
    expect([kindOfSheet('Agents'), kindOfSheet(' departamentos '), kindOfSheet('Plan1')]).toEqual([
      'agents',
      'departments',
      undefined,
    ]);
    expect([
      kindOfFileName('accounts.csv'),
      kindOfFileName('Agents-2024.csv'),
      kindOfFileName('roster.csv'),
    ]).toEqual(['accounts', 'agents', undefined]);
  });
});
