// The local F&O emulator's public API (the app's Local emulator environment, the CLI and tests).
export { startEmulator, EMULATOR_CLIENT_ID, EMULATOR_TENANT_ID } from './server';
export type { Emulator, EmulatorOptions, RecurringJobSummary } from './server';
export { createEmulatorNetworkClient, emulatorMsalSettings, isEmulatorAuthority } from './entra/networkClient';
export type { EmulatorMsalSettings } from './entra/networkClient';
export { startAzurite, forkAzurite, AZURITE_ACCOUNT } from './blob/azurite';
export type { AzuriteHandle, AzuriteOptions, AzuriteProcess, AzuriteSpawner } from './blob/azurite';
export type { FaultSettings, HttpBurst } from './faults';
export type { CallRecord } from './callLog';
export type { EmulatorClock } from './clock';
export type { RecurringJob, RecurringJobSpec } from './fno/recurring';
