/** Every migration, in order. Add a file NNN-name.ts and append it here (with its own test). */
import { migration001 } from './001-initial.ts';
import { migration002 } from './002-walk-problems.ts';
import { migration003 } from './003-library-search.ts';
import { migration004 } from './004-calibrations.ts';
import { migration005 } from './005-classes.ts';
import { migration006 } from './006-class-counts.ts';
import { migration007 } from './007-label-event-authors.ts';
import type { Migration } from './migration.ts';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
