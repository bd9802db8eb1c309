// placeholder, filled in below
export function sharedGodotFiles(_dir: string) { return { same: [] as string[], different: [] as string[] }; }
export function checkGodot4(_addon: string, _root: string) { return { passed: [] as string[], failed: [] as string[], notes: [] as string[], files: [] as string[] }; }
