// Sending a match of this node one of the module's signals, and reading how the server's match
// registry answered. The registry says "match not found" only for a match that does not run on
// this node (it never asks another node); "match busy" when the signal queue is full, the match
// did not answer within 10 s, or its handler failed. Anything but "not found" means the match may
// be alive, so nobody takes it for gone on a doubt.

import { encodeSignal, type MatchSignal } from '../../protocol.js';
import { errorText } from '../errors.js';

export type Signalled = { kind: 'answer'; raw: string } | { kind: 'notRunning' } | { kind: 'busy' };

export function signalMatch(nk: nkruntime.Nakama, matchId: string, signal: MatchSignal): Signalled {
  try {
    return { kind: 'answer', raw: nk.matchSignal(matchId, encodeSignal(signal)) };
  } catch (err) {
    return /match not found/i.test(errorText(err)) ? { kind: 'notRunning' } : { kind: 'busy' };
  }
}
