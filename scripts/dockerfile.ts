/**
 * Reads a Dockerfile and a .dockerignore the way Docker does, for the parts
 * this project uses, so that scripts/replay-dockerfile.ts can replay the build
 * without a Docker engine and test/docker/ can check the file's shape.
 * Anything it does not understand (heredocs, variables in paths) is refused
 * rather than guessed: a replay that silently differs from `docker build`
 * would prove nothing.
 */

/** One instruction, continuation lines joined; `keyword` is upper-case. */
export interface Instruction {
  keyword: string;
  argument: string;
  /** 1-based line of the instruction's first line, for messages. */
  line: number;
}

/** A `FROM` and the instructions after it. */
export interface Stage {
  image: string;
  name: string | undefined;
  line: number;
  instructions: Instruction[];
}

/** A COPY or ADD: its `--from` stage (absent: the build context), sources and destination as written. */
export interface CopyStep {
  from: string | undefined;
  sources: string[];
  destination: string;
}

/** Splits a Dockerfile into stages of instructions; throws on what the replay cannot follow. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of joinInstructions(text)) {
    if (/<<-?\w/.test(instruction.argument) && /^(RUN|COPY|ADD)$/.test(instruction.keyword)) {
      throw new Error(`Dockerfile:${instruction.line}: heredocs are not supported by the replay`);
    }
    if (instruction.keyword === 'FROM') {
      const words = splitWords(instruction.argument).filter((word) => !word.startsWith('--'));
      const [image, as, name] = words;
      if (image === undefined) throw new Error(`Dockerfile:${instruction.line}: FROM names no image`);
      stages.push({
        image,
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        line: instruction.line,
        instructions: [],
      });
    } else {
      const stage = stages.at(-1);
      if (stage === undefined) {
        if (instruction.keyword === 'ARG') continue;
        throw new Error(`Dockerfile:${instruction.line}: ${instruction.keyword} before any FROM`);
      }
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** Joins `\`-continued lines and drops comment and blank lines (also inside a continuation, as Docker does). */
function joinInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const continues = trimmed.endsWith('\\');
    const part = continues ? raw.replace(/\\\s*$/, '') : raw;
    pending =
      pending === undefined
        ? { text: part, line: index + 1 }
        : { ...pending, text: `${pending.text} ${part}` };
    if (continues) return;
    const match = /^\s*(\S+)\s*(.*)$/s.exec(pending.text);
    if (match)
      instructions.push({ keyword: match[1]!.toUpperCase(), argument: match[2]!.trim(), line: pending.line });
    pending = undefined;
  });
  if (pending !== undefined)
    throw new Error(`Dockerfile:${pending.line}: the file ends inside a continued line`);
  return instructions;
}

/** The exec form `["a", "b"]` as its array, or the shell form split into words (quotes honoured). */
export function parseArguments(argument: string): string[] {
  if (argument.startsWith('[')) {
    const parsed: unknown = JSON.parse(argument);
    if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
      throw new Error(`not an array of strings: ${argument}`);
    }
    return parsed;
  }
  return splitWords(argument);
}

/** Words separated by blanks, with '…' and "…" quoting and `\` escapes, as the Dockerfile parser reads them. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    const escaped = char === '\\' && index + 1 < text.length && quote !== "'";
    if (escaped && (quote === undefined || text[index + 1] === '"' || text[index + 1] === '\\')) {
      word += text[++index];
      inWord = true;
    } else if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new Error(`unclosed ${quote} in: ${text}`);
  if (inWord) words.push(word);
  return words;
}

/** `ENV A=1 B="two words"` (or the old `ENV A value`) as a record; a `$` reference is refused. */
export function parseEnv(argument: string): Record<string, string> {
  if (argument.includes('$'))
    throw new Error(`variables in ENV are not supported by the replay: ${argument}`);
  const words = splitWords(argument);
  const first = words[0];
  if (first !== undefined && !first.includes('=')) return { [first]: words.slice(1).join(' ') };
  const variables: Record<string, string> = {};
  for (const word of words) {
    const equals = word.indexOf('=');
    if (equals <= 0) throw new Error(`ENV expects NAME=value, got: ${word}`);
    variables[word.slice(0, equals)] = word.slice(equals + 1);
  }
  return variables;
}

/** A COPY/ADD argument: its flags, sources and destination. */
export function parseCopy(argument: string): CopyStep {
  const words = parseArguments(argument);
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  const destination = paths.pop();
  if (destination === undefined || paths.length === 0)
    throw new Error(`COPY needs a source and a destination`);
  if ([...paths, destination].some((path) => path.includes('$'))) {
    throw new Error(`variables in COPY paths are not supported by the replay: ${argument}`);
  }
  const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
  return { from, sources: paths, destination };
}

/** One line of a .dockerignore: a pattern, possibly an exception (`!`). */
export interface IgnoreRule {
  pattern: RegExp;
  exception: boolean;
}

/** The rules of a .dockerignore, in order (the last one matching a path decides). */
export function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const exception = line.startsWith('!');
      const cleaned = (exception ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { pattern: globToRegExp(cleaned), exception };
    });
}

/** Whether Docker leaves `path` (relative, `/`-separated) out of the build context. */
export function isIgnored(path: string, rules: readonly IgnoreRule[]): boolean {
  const segments = path.split('/');
  // A rule matching a folder matches everything inside it.
  const candidates = segments.map((_, index) => segments.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) ignored = !rule.exception;
  }
  return ignored;
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index]!;
    if (glob.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (glob.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
