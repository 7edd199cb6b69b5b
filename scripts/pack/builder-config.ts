// Loads electron-builder.yml exactly as electron-builder does (file, package.json, overrides merged)
// and runs electron-builder's own schema validation on it, so that a misspelt or misplaced key stops
// the pack before anything is built.
import { createRequire } from 'node:module';
import path from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';

export class BuilderConfigError extends Error {
  override name = 'BuilderConfigError';
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: { additionalProperty?: string };
}
type Validate = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/** electron-builder's schema and the ajv it validates with (its own dependency, not ours). */
function builderSchemaValidator(): Validate {
  const fromBuilder = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));
  const { default: Ajv } = fromBuilder('ajv') as {
    default: new (o: object) => { compile(s: object): Validate };
  };
  return new Ajv({ allErrors: true, strict: false }).compile(fromBuilder('./scheme.json') as object);
}

/**
 * Unknown keys with their full path. electron-builder reports an unknown key inside a section
 * (`nsis.oneClik`) only as "configuration.nsis should be one of these: null"; this names it.
 */
export function unknownKeys(config: Configuration): string[] {
  const validate = builderSchemaValidator();
  if (validate(structuredClone(config))) return [];
  const keys = (validate.errors ?? [])
    .filter((e) => e.keyword === 'additionalProperties' && e.params.additionalProperty)
    .map((e) => [...e.instancePath.split('/').filter(Boolean), e.params.additionalProperty].join('.'));
  return [...new Set(keys)];
}

export async function loadBuilderConfig(
  projectDir: string,
  configFile: string,
  overrides?: Configuration,
): Promise<Configuration> {
  // getConfig merges the overrides into what it read; keep the caller's object untouched.
  const merged = overrides ? (structuredClone(overrides) as Configuration) : null;
  const config = await getConfig(projectDir, path.resolve(projectDir, configFile), merged).catch(
    (err: unknown) => {
      throw new BuilderConfigError(
        `${configFile} cannot be read: ${err instanceof Error ? err.message : String(err)}`,
        {
          cause: err,
        },
      );
    },
  );
  try {
    await validateConfiguration(config, new DebugLogger(false));
  } catch (err) {
    const unknown = unknownKeys(config);
    const lead = unknown.length ? `unknown key${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}\n` : '';
    const message = err instanceof Error ? err.message : String(err);
    throw new BuilderConfigError(
      `${configFile} is not a valid electron-builder configuration: ${lead}${message}`,
      {
        cause: err,
      },
    );
  }
  return config;
}
