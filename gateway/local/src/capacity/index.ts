export * from './bench-figures';
export * from './capacity-args';
export * from './capacity-model';
export * from './capacity-report';
