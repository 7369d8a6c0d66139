/**
 * An ABCI error as the real chain reports it: code + codespace + log. Codes in codespace "sdk"
 * are the Cosmos SDK's registered errors (types/errors/errors.go): 2 tx decode, 4 unauthorized,
 * 5 insufficient funds, 9 unknown address, 11 out of gas, 13 insufficient fee, 18 invalid
 * request, 19 tx already in mempool, 32 wrong sequence, 38 not found.
 */
export class ChainError extends Error {
  constructor(
    readonly code: number,
    readonly codespace: string,
    readonly log: string,
  ) {
    super(log);
  }
}

export const sdkError = {
  txDecode: (why: string) => new ChainError(2, 'sdk', `${why}: tx parse error`),
  unauthorized: (why: string) => new ChainError(4, 'sdk', `${why}: unauthorized`),
  insufficientFunds: (why: string) => new ChainError(5, 'sdk', `${why}: insufficient funds`),
  unknownAddress: (addr: string) => new ChainError(9, 'sdk', `account ${addr} not found: unknown address`),
  outOfGas: (wanted: bigint, used: bigint) => new ChainError(11, 'sdk', `out of gas in location: txSize; gasWanted: ${wanted}, gasUsed: ${used}: out of gas`),
  insufficientFee: (got: string, need: string) => new ChainError(13, 'sdk', `insufficient fees; got: ${got} required: ${need}: insufficient fee`),
  invalidRequest: (why: string) => new ChainError(18, 'sdk', `${why}: invalid request`),
  inMempool: () => new ChainError(19, 'sdk', 'tx already exists in cache'),
  wrongSequence: (expected: bigint, got: bigint) =>
    new ChainError(32, 'sdk', `account sequence mismatch, expected ${expected}, got ${got}: incorrect account sequence`),
  notFound: (what: string) => new ChainError(38, 'sdk', `rpc error: code = NotFound desc = ${what}: not found`),
};
