/**
 * The small realistic roster behind fixtures/manifests/good: three customers
 * of a Brazilian partner, their departments and thirty agents with accented
 * names. The same rows are written as an XLSX workbook and as CSV in each
 * dialect Excel saves; tests read every one back and compare with these.
 */

export const ACCOUNT_HEADERS = [
  'key',
  'email',
  'main_contact',
  'telefone',
  'url',
  'license_quantity',
  'license_code',
  'status',
];
export const ACCOUNTS: string[][] = [
  [
    'padaria-sao-joao',
    'ti@padariasaojoao.com.br',
    'Conceição Araújo',
    '(11) 3456-7890',
    'https://padariasaojoao.com.br',
    '12',
    'PARTNER_X',
    'active',
  ],
  [
    'clinica-bem-estar',
    'contato@clinicabemestar.com.br',
    'Dr. Sebastião Magalhães',
    '(21) 2233-4455',
    'https://clinicabemestar.com.br',
    '10',
    'PARTNER_X',
    'active',
  ],
  [
    'auto-pecas-goncalves',
    'adm@autopecasgoncalves.com.br',
    'Luíza Gonçalves',
    '(31) 3344-5566',
    '',
    '15',
    '',
    'active',
  ],
];

export const DEPARTMENT_HEADERS = ['account', 'name', 'description', 'status', 'channels'];
export const DEPARTMENTS: string[][] = [
  ['padaria-sao-joao', 'Atendimento', 'Pedidos e encomendas', 'active', 'chat|audio'],
  ['padaria-sao-joao', 'Confeitaria', 'Bolos e doces sob encomenda', 'active', 'chat'],
  ['clinica-bem-estar', 'Recepção', 'Agendamento de consultas', 'active', 'chat|video|audio'],
  ['clinica-bem-estar', 'Convênios', 'Autorizações e reembolsos', 'active', 'chat'],
  ['auto-pecas-goncalves', 'Vendas', 'Peças e acessórios', 'active', 'chat|audio'],
  ['auto-pecas-goncalves', 'Pós-venda', 'Trocas e garantia', 'inactive', ''],
];

export const AGENT_HEADERS = ['account', 'email', 'name', 'profile', 'text_limit', 'departments', 'password'];
const PEOPLE: [string, string, string][] = [
  ['padaria-sao-joao', 'joao.conceicao', 'João Conceição'],
  ['padaria-sao-joao', 'maria.araujo', 'Maria Araújo'],
  ['padaria-sao-joao', 'antonio.simoes', 'Antônio Simões'],
  ['padaria-sao-joao', 'francisca.brandao', 'Francisca Brandão'],
  ['padaria-sao-joao', 'jose.assuncao', 'José Assunção'],
  ['padaria-sao-joao', 'luiza.patricio', 'Luíza Patrício'],
  ['padaria-sao-joao', 'erica.goncalves', 'Érica Gonçalves'],
  ['padaria-sao-joao', 'sebastiao.lemos', 'Sebastião Lemos'],
  ['padaria-sao-joao', 'ines.magalhaes', 'Inês Magalhães'],
  ['padaria-sao-joao', 'caua.ribeiro', 'Cauã Ribeiro'],
  ['clinica-bem-estar', 'ana.lucia', 'Ana Lúcia Guimarães'],
  ['clinica-bem-estar', 'vitoria.falcao', 'Vitória Falcão'],
  ['clinica-bem-estar', 'joaquim.adao', 'Joaquim Adão'],
  ['clinica-bem-estar', 'helena.conceicao', 'Helena da Conceição'],
  ['clinica-bem-estar', 'otavio.araujo', 'Otávio Araújo'],
  ['clinica-bem-estar', 'beatriz.simoes', 'Beatriz Simões'],
  ['clinica-bem-estar', 'caio.brandao', 'Caio Brandão'],
  ['clinica-bem-estar', 'marcia.lourenco', 'Márcia Lourenço'],
  ['clinica-bem-estar', 'rogerio.estevao', 'Rogério Estêvão'],
  ['clinica-bem-estar', 'leticia.mourao', 'Letícia Mourão'],
  ['auto-pecas-goncalves', 'fabio.goncalves', 'Fábio Gonçalves'],
  ['auto-pecas-goncalves', 'debora.quiroga', 'Débora Quiróga'],
  ['auto-pecas-goncalves', 'tiago.aragao', 'Tiago Aragão'],
  ['auto-pecas-goncalves', 'monica.saboia', 'Mônica Sabóia'],
  ['auto-pecas-goncalves', 'andre.leao', 'André Leão'],
  ['auto-pecas-goncalves', 'claudia.peixoto', 'Cláudia Peixoto'],
  ['auto-pecas-goncalves', 'vinicius.damiao', 'Vinícius Damião'],
  ['auto-pecas-goncalves', 'raissa.cordeiro', 'Raíssa Cordeiro'],
  ['auto-pecas-goncalves', 'nicolas.breno', 'Nícolas Brenô'],
  ['auto-pecas-goncalves', 'jussara.tupa', 'Jussara Tupã'],
];

const DOMAINS: Record<string, string> = {
  'padaria-sao-joao': 'padariasaojoao.com.br',
  'clinica-bem-estar': 'clinicabemestar.com.br',
  'auto-pecas-goncalves': 'autopecasgoncalves.com.br',
};

const AGENT_DEPARTMENTS: Record<string, string[]> = {
  'padaria-sao-joao': ['Atendimento', 'Atendimento;Confeitaria', 'Confeitaria'],
  'clinica-bem-estar': ['Recepção', 'Recepção;Convênios', 'Convênios'],
  'auto-pecas-goncalves': ['Vendas', 'Vendas;Pós-venda', ''],
};

export const AGENTS: string[][] = PEOPLE.map(([account, user, name], index) => [
  account,
  `${user}@${DOMAINS[account]}`,
  name,
  index % 10 === 0 ? 'ADMIN' : 'AGENT',
  index % 10 === 0 ? '' : '50',
  AGENT_DEPARTMENTS[account]?.[index % 3] ?? '',
  index % 7 === 3 ? `Senha#${1000 + index}` : '',
]);

/** The accented names as they must come out of every dialect. */
export const AGENT_NAMES = AGENTS.map((agent) => agent[2] ?? '');
