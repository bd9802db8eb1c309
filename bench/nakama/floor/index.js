// The least a Nakama JavaScript match can do to let a player back in: a stand-in for the arena
// module with no seat table, grace, tokens, dedupe or storage, speaking just enough of the same
// wire protocol for bench/nakama/rejoin.ts and bench/actions.ts. They run it on its own server to
// split a rejoin's latency, and an action's server CPU, into what Nakama itself costs and what
// this project's module adds. A mode name may carry `_t<tick rate>`, `_s<seats>`, and `_e` to
// broadcast the demo game's EVENT for every action as well as the ACK.
// Plain JavaScript loaded as is: no bundler, so it follows the server's loader rules by hand.

function floorInit(ctx, logger, nk, params) {
  var seats = [];
  var n = Number(params.seats) || 2;
  for (var i = 0; i < n; i++) seats.push({ userId: '', sessionId: '', score: 0 });
  return { state: { seats: seats, seq: 0, events: params.events === true }, tickRate: Number(params.tickRate) || 10, label: '{}' };
}

function floorJoinAttempt(ctx, logger, nk, dispatcher, tick, state, presence, metadata) {
  return { state: state, accept: true };
}

function floorJoin(ctx, logger, nk, dispatcher, tick, state, presences) {
  for (var p = 0; p < presences.length; p++) {
    var presence = presences[p];
    var seat = -1;
    var resumed = false;
    for (var i = 0; i < state.seats.length; i++) if (state.seats[i].userId === presence.userId) { seat = i; resumed = true; }
    for (var j = 0; j < state.seats.length && seat < 0; j++) if (state.seats[j].userId === '') seat = j;
    if (seat < 0) continue;
    state.seats[seat].userId = presence.userId;
    state.seats[seat].sessionId = presence.sessionId;
    var scores = [];
    for (var k = 0; k < state.seats.length; k++) scores.push({ score: state.seats[k].score });
    dispatcher.broadcastMessage(1, JSON.stringify({ seq: 0, tick: tick, you: { seat: seat, userId: presence.userId }, token: 'floor', resumed: resumed, lastActionSeq: 0, game: { seats: scores } }), [presence], null, true);
    dispatcher.broadcastMessage(2, JSON.stringify({ seat: seat, userId: presence.userId, reason: resumed ? 'resumed' : 'joined' }), null, null, true);
  }
  return { state: state };
}

function floorLeave(ctx, logger, nk, dispatcher, tick, state, presences) {
  for (var p = 0; p < presences.length; p++) {
    for (var i = 0; i < state.seats.length; i++) {
      if (state.seats[i].sessionId === presences[p].sessionId) {
        state.seats[i].sessionId = '';
        dispatcher.broadcastMessage(2, JSON.stringify({ seat: i, userId: presences[p].userId, reason: 'dropped' }), null, null, true);
      }
    }
  }
  return { state: state };
}

function floorLoop(ctx, logger, nk, dispatcher, tick, state, messages) {
  for (var m = 0; m < messages.length; m++) {
    var msg = messages[m];
    if (Number(msg.opCode) !== 100) continue;
    var body = JSON.parse(nk.binaryToString(msg.data));
    var seat = -1;
    for (var i = 0; i < state.seats.length; i++) if (state.seats[i].sessionId === msg.sender.sessionId) seat = i;
    if (seat >= 0) state.seats[seat].score += Number(body.amount) || 0;
    dispatcher.broadcastMessage(4, JSON.stringify({ actionSeq: body.actionSeq, result: 'applied' }), [msg.sender], null, true);
    // With `events`, the same EVENT the demo game sends to everyone for an `add`.
    if (state.events && seat >= 0) {
      state.seq += 1;
      dispatcher.broadcastMessage(3, JSON.stringify({ seq: state.seq, tick: tick, type: 'scored', seat: seat, amount: Number(body.amount) || 0, score: state.seats[seat].score }), null, null, true);
    }
  }
  return { state: state };
}

function floorTerminate(ctx, logger, nk, dispatcher, tick, state, graceSeconds) {
  return { state: state };
}

function floorSignal(ctx, logger, nk, dispatcher, tick, state, data) {
  return { state: state, data: data };
}

function floorCreate(ctx, logger, nk, payload) {
  var mode = JSON.parse(payload || '{}').mode || '';
  var t = /_t(\d+)/.exec(mode);
  var s = /_s(\d+)/.exec(mode);
  return JSON.stringify({ matchId: nk.matchCreate('arena', { tickRate: t ? Number(t[1]) : 10, seats: s ? Number(s[1]) : 2, events: /_e(_|$)/.test(mode) }) });
}

var floorMatch = {
  matchInit: floorInit,
  matchJoinAttempt: floorJoinAttempt,
  matchJoin: floorJoin,
  matchLeave: floorLeave,
  matchLoop: floorLoop,
  matchTerminate: floorTerminate,
  matchSignal: floorSignal,
};

function InitModule(ctx, logger, nk, initializer) {
  initializer.registerMatch('arena', floorMatch);
  initializer.registerRpc('match_create', floorCreate);
}
