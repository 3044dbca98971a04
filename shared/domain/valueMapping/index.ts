export * from './keys';
export * from './cluster';
export * from './table';
export * from './suggest';
export * from './edit';
