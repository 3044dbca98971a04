export * from './decimal';
export * from './reconcile';
