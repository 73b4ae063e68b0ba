export * from './ticket.contract';
export * from './engineer.contract';
export * from './robot.contract';
