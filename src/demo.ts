// nakama-rejoin/demo: the demo this repository's own module runs, each part optional: a game of
// scores and moves for rejoinArena, and a coin shop (shop_purchase) with a starting grant given by
// after-authenticate hooks. A game's own module needs none of it; the library is
// nakama-rejoin/server.

export { demoGame } from './core/demo-game.js';
export type { DemoState, DemoSeat } from './core/demo-game.js';
export { rpcShopPurchase, checkShopConfig } from './runtime/shop/shop.js';
export { afterAuthenticateCustom, afterAuthenticateDevice, afterAuthenticateEmail } from './runtime/shop/auth-hooks.js';
