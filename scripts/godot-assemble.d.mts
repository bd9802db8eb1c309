// Types for godot-assemble.mjs (plain JavaScript so that build-godot.mjs runs before anything is built).
export interface GodotFile {
  path: string;
  text: string;
}
export function toGodot3(src: string, where?: string): string;
export function assembleGodot(root: string): GodotFile[];
export function staleGodotFiles(root: string): string[];
export function assembleDriver(root: string, version: 3 | 4): { name: string; text: string }[];
