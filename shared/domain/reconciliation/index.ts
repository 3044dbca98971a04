export * from './decimal';
export * from './reconcile';
export * from './keyFilter';
