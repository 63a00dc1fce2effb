import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rateKey } from '../../src/state/learned-rate.js';
import { openStore, tempStorePath } from './temp-store.js';

describe('the rate --rate auto learned, in the state store', () => {
  it('is kept per base URL and read back by the next run, the last one saved winning', () => {
    const path = tempStorePath();
    const store = openStore(path);
    expect(store.learnedRate('http://127.0.0.1:4010/api/v1')).toBeUndefined();
    store.saveLearnedRate('http://127.0.0.1:4010/api/v1', 23.75);
    store.saveLearnedRate('https://partner.omnize.com/api/v1', 48);
    store.saveLearnedRate('http://127.0.0.1:4010/api/v1', 21.5);
    store.close();
    const again = openStore(path);
    expect(again.learnedRate('http://127.0.0.1:4010/api/v1')).toBe(21.5);
    expect(again.learnedRate('https://partner.omnize.com/api/v1')).toBe(48);
    expect(again.learnedRate('http://127.0.0.1:4011/api/v1')).toBeUndefined();
  });

  it('leaves the serial alone: a saved plan does not go stale because a rate was learned', () => {
    const store = openStore();
    const serial = store.serial();
    store.saveLearnedRate('http://127.0.0.1:4010/api/v1', 30);
    expect(store.serial()).toBe(serial);
  });

  it('keys by origin and path only: a credential in the URL never reaches the file', () => {
    const path = tempStorePath();
    const store = openStore(path);
    const url = 'https://partner:s3cr3t-pass@partner.omnize.com/api/v1/?token=s3cr3t-token#x';
    store.saveLearnedRate(url, 40);
    expect(store.learnedRate('https://partner.omnize.com/api/v1')).toBe(40);
    expect(rateKey(url)).toBe('https://partner.omnize.com/api/v1');
    store.close();
    const bytes =
      readFileSync(path).toString('latin1') + readFileSync(`${path}-wal`, { flag: 'a+' }).toString('latin1');
    expect(bytes).not.toContain('s3cr3t');
  });
});
