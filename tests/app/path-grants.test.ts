import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PathGrants } from '../../src-main/services/path-grants.js';

describe('PathGrants', () => {
  const root = resolve('/profile/exports');

  it('allows its roots and what lies under them, nothing beside or above', () => {
    const grants = new PathGrants([root], 'An export folder');
    expect(grants.allows(join(root, '2026-12-03'))).toBe(true);
    expect(grants.allows(join(root, 'a', '..', '..', 'settings.json'))).toBe(false);
    expect(grants.allows(resolve('/profile/exports-evil'))).toBe(false);
    expect(grants.allows(resolve('/tmp'))).toBe(false);
    expect(() => grants.check('/tmp')).toThrow(/^An export folder must be picked in the app/);
  });

  it('adds the folders and files the user picked, a file only by itself', () => {
    const grants = new PathGrants([root], 'A model file');
    grants.grantFolder('/home/me/out');
    grants.grantFile('/home/me/models/best.onnx');
    expect(grants.allows('/home/me/out')).toBe(true);
    expect(grants.allows('/home/me/out/sub')).toBe(true);
    expect(grants.allows('/home/me/models/best.onnx')).toBe(true);
    expect(grants.allows('/home/me/models/other.onnx')).toBe(false);
    expect(grants.check('/home/me/out/../out/x')).toBe('/home/me/out/../out/x');
  });
});
