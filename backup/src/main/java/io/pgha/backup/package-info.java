/** pgBackRest: configuration rendering, schedule, running backups, parsing their info, restore. */
package io.pgha.backup;
