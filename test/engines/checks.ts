export function checkPackageLayout(_engine: string) { return { passed: [] as string[], failed: [] as string[] }; }
export function checkDocs(_engine: string, _ran: string[], _parsed: string[]) { return { passed: [] as string[], failed: [] as string[] }; }
