import { Bip39, EnglishMnemonic, Random, stringToPath } from '@cosmjs/crypto';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { RigError } from '../../api/errors.js';

/** Cosmos coin type 118, first account (AKASH.md: HD path m/44'/118'/0'/0/0). */
export const HD_PATH = "m/44'/118'/0'/0/0";
export const PREFIX = 'akash';
const ALLOWED_LENGTHS = [12, 15, 18, 21, 24];

/** A new 24-word phrase from 256 bits of the OS's randomness. */
export function generateMnemonic(): string {
  return Bip39.encode(Random.getBytes(32)).toString();
}

/** Normalises spacing/case and explains exactly what is wrong, never echoing the phrase back. */
export function validateMnemonic(input: string): string {
  const words = input.trim().toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (!ALLOWED_LENGTHS.includes(words.length)) {
    throw new RigError(
      'invalid_input',
      `A recovery phrase has 12, 15, 18, 21 or 24 words; this one has ${words.length}.`,
      'Check that no word is missing or doubled, then try again.',
    );
  }
  const wordlist = EnglishMnemonic.wordlist as readonly string[];
  const bad = words.map((w, i) => ({ w, i })).filter(({ w }) => !wordlist.includes(w));
  if (bad.length > 0) {
    throw new RigError(
      'invalid_input',
      `Word ${bad.map((b) => b.i + 1).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not in the BIP-39 English word list.`,
      'Check the spelling of that word against your written copy.',
    );
  }
  const phrase = words.join(' ');
  try {
    new EnglishMnemonic(phrase);
    Bip39.decode(new EnglishMnemonic(phrase));
  } catch {
    throw new RigError(
      'invalid_input',
      'The words are all valid but the phrase does not add up (its checksum is wrong): a word is wrong or two are swapped.',
      'Compare each word and its position with your written copy.',
    );
  }
  return phrase;
}

export async function walletFromMnemonic(mnemonic: string): Promise<DirectSecp256k1HdWallet> {
  return DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: PREFIX, hdPaths: [stringToPath(HD_PATH)] });
}

export async function addressOf(mnemonic: string): Promise<string> {
  const [account] = await (await walletFromMnemonic(mnemonic)).getAccounts();
  if (!account) throw new RigError('internal', 'The wallet produced no account.');
  return account.address;
}
