/**
 * The broken manifests of fixtures/manifests/broken that are CSV folders:
 * a tiny valid roster, changed in one way per kind of mistake.
 */

/** A tiny valid roster that each broken case changes in one way. */
export function base(): Record<string, string[][]> {
  return {
    'accounts.csv': [
      ['key', 'email', 'main_contact', 'license_quantity'],
      ['padaria-sao-joao', 'ti@padariasaojoao.com.br', 'Conceição Araújo', '5'],
    ],
    'departments.csv': [
      ['account', 'name', 'channels'],
      ['padaria-sao-joao', 'Atendimento', 'chat'],
    ],
    'agents.csv': [
      ['account', 'email', 'name', 'profile', 'departments', 'password'],
      [
        'padaria-sao-joao',
        'joao@padariasaojoao.com.br',
        'João Conceição',
        'ADMIN',
        'Atendimento',
        'Pão-de-Queijo#1',
      ],
      ['padaria-sao-joao', 'maria@padariasaojoao.com.br', 'Maria Araújo', 'AGENT', 'Atendimento', ''],
    ],
  };
}

function edit(change: (files: Record<string, string[][]>) => void): Record<string, string[][]> {
  const files = base();
  change(files);
  return files;
}

export const BROKEN_FOLDERS: Record<string, Record<string, string[][]>> = {
  'missing-column': edit((files) => {
    files['agents.csv'] = (files['agents.csv'] ?? []).map((row) => [
      row[0] ?? '',
      row[2] ?? '',
      row[3] ?? '',
    ]);
  }),
  'missing-value': edit((files) => {
    files['agents.csv']?.push(['padaria-sao-joao', 'ines@padariasaojoao.com.br', '', 'AGENT', '', '']);
    files['accounts.csv']?.push(['auto-pecas', '', 'Fábio Gonçalves', '3']);
  }),
  'bad-email': edit((files) => {
    files['agents.csv']?.push([
      'padaria-sao-joao',
      'jose.assuncao@padariasaojoao',
      'José Assunção',
      'AGENT',
      '',
      '',
    ]);
    files['agents.csv']?.push([
      'padaria-sao-joao',
      'erica goncalves@padariasaojoao.com.br',
      'Érica Gonçalves',
      'AGENT',
      '',
      '',
    ]);
  }),
  'bad-number': edit((files) => {
    files['accounts.csv'] = [
      ['key', 'email', 'main_contact', 'license_quantity'],
      ['padaria-sao-joao', 'ti@padariasaojoao.com.br', 'Conceição Araújo', '1.234'],
      ['clinica-bem-estar', 'ti@clinicabemestar.com.br', 'Sebastião Magalhães', '2,5'],
      ['auto-pecas', 'ti@autopecas.com.br', 'Luíza Gonçalves', '-1'],
    ];
    files['agents.csv'] = [
      ['account', 'email', 'name', 'text_limit'],
      ['padaria-sao-joao', 'joao@padariasaojoao.com.br', 'João Conceição', 'dez'],
    ];
  }),
  'unknown-vocabulary': edit((files) => {
    files['accounts.csv']?.[0]?.push('status');
    files['accounts.csv']?.[1]?.push('suspenso');
    files['departments.csv']?.push(['padaria-sao-joao', 'Confeitaria', 'chat|whatsapp']);
    files['agents.csv']?.push(['padaria-sao-joao', 'ana@padariasaojoao.com.br', 'Ana', 'Supervisor', '', '']);
  }),
  duplicates: edit((files) => {
    files['accounts.csv']?.push(['Padaria-Sao-Joao', 'outro@padariasaojoao.com.br', 'Outro', '5']);
    files['departments.csv']?.push(['padaria-sao-joao', ' atendimento ', 'audio']);
    files['agents.csv']?.push(['padaria-sao-joao', 'JOAO@padariasaojoao.com.br', 'João C.', 'AGENT', '', '']);
  }),
  undeclared: edit((files) => {
    files['agents.csv']?.push([
      'padaria-sao-joao',
      'lia@padariasaojoao.com.br',
      'Lia',
      'AGENT',
      'Atendimento;Confeitaria',
      '',
    ]);
    files['agents.csv']?.push([
      'clinica-bem-estar',
      'caio@clinicabemestar.com.br',
      'Caio Brandão',
      'AGENT',
      '',
      '',
    ]);
  }),
  'license-warning': edit((files) => {
    files['accounts.csv'] = [
      ['key', 'email', 'main_contact', 'license_quantity', 'observações'],
      ['padaria-sao-joao', 'ti@padariasaojoao.com.br', 'Conceição Araújo', '1', 'plano básico'],
    ];
  }),
  'ragged-csv': edit((files) => {
    // `Ana; Maria` typed in Notepad without quotes: the name splits and every later value shifts.
    files['agents.csv']?.push([
      'padaria-sao-joao',
      'ana@padariasaojoao.com.br',
      'Ana',
      ' Maria',
      'AGENT',
      'Atendimento',
      'Broa#7',
    ]);
  }),
};
