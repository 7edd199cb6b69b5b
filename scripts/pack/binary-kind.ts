// What a native binary is built for, read from its header: the check trusts bytes, not file names.

export interface BinaryKind {
  format: 'ELF' | 'PE' | 'Mach-O';
  /** Node's process.platform / process.arch names; arch is null where the header does not say. */
  platform: 'linux' | 'win32' | 'darwin';
  arch: string | null;
}

const ELF_MACHINES: Record<number, string> = { 0x03: 'ia32', 0x28: 'arm', 0x3e: 'x64', 0xb7: 'arm64' };
const PE_MACHINES: Record<number, string> = { 0x014c: 'ia32', 0x8664: 'x64', 0xaa64: 'arm64' };
const MACH_CPUS: Record<number, string> = { 0x01000007: 'x64', 0x0100000c: 'arm64' };

/** Enough bytes for every header read here (PE's header offset is usually well inside 1 KiB). */
export const HEADER_BYTES = 1024;

export function binaryKind(head: Buffer): BinaryKind | null {
  if (head.length >= 20 && head.readUInt32BE(0) === 0x7f454c46) {
    const littleEndian = head[5] === 1;
    const machine = littleEndian ? head.readUInt16LE(18) : head.readUInt16BE(18);
    return { format: 'ELF', platform: 'linux', arch: ELF_MACHINES[machine] ?? `elf-machine-${machine}` };
  }
  if (head.length >= 0x40 && head.toString('ascii', 0, 2) === 'MZ') {
    const pe = head.readUInt32LE(0x3c);
    const known = pe + 6 <= head.length && head.toString('ascii', pe, pe + 4) === 'PE\0\0';
    return {
      format: 'PE',
      platform: 'win32',
      arch: known ? (PE_MACHINES[head.readUInt16LE(pe + 4)] ?? null) : null,
    };
  }
  if (head.length >= 8) {
    const magic = head.readUInt32BE(0);
    if (magic === 0xcffaedfe || magic === 0xcefaedfe) {
      return { format: 'Mach-O', platform: 'darwin', arch: MACH_CPUS[head.readUInt32LE(4)] ?? null };
    }
    // Universal (fat) binaries; 0xcafebabe is also Java's class-file magic, which never ships here.
    if (magic === 0xcafebabe || magic === 0xfeedfacf || magic === 0xfeedface) {
      return { format: 'Mach-O', platform: 'darwin', arch: null };
    }
  }
  return null;
}
