import { Badge, Group, Progress, Text } from '@mantine/core';
import { STATE_COLOR, type RobotView } from './robot-api';

export function OnlineBadge({ robot }: { robot: RobotView }) {
  if (!robot.active) return <Badge color="gray" variant="outline">inactive</Badge>;
  return robot.online ? (
    <Badge color="green" variant="dot">
      online
    </Badge>
  ) : (
    <Badge color="gray" variant="dot">
      offline
    </Badge>
  );
}

export function BatteryGauge({ robot }: { robot: RobotView }) {
  const battery = robot.last_status?.battery;
  if (battery === undefined) return <Text c="dimmed">—</Text>;
  const color = battery < 20 ? 'red' : battery < 50 ? 'yellow' : 'green';
  return (
    <Group gap="xs" wrap="nowrap" data-testid="robot-battery">
      <Progress value={battery} color={color} w={60} aria-label={`Battery ${battery}%`} />
      <Text size="sm">{battery}%</Text>
    </Group>
  );
}

export function StateBadge({ robot }: { robot: RobotView }) {
  const state = robot.last_status?.state;
  if (!state) return <Text c="dimmed">—</Text>;
  return (
    <Badge color={STATE_COLOR[state]} variant="light" data-testid="robot-state">
      {state}
    </Badge>
  );
}

export function PositionText({ robot }: { robot: RobotView }) {
  const position = robot.last_status?.position;
  if (!position) return <Text c="dimmed">—</Text>;
  return (
    <Text size="sm" data-testid="robot-position">
      {position.x.toFixed(1)}, {position.y.toFixed(1)}
      {position.zone && <Text span c="dimmed" size="sm">{` · ${position.zone}`}</Text>}
    </Text>
  );
}

/** "12 s ago" while recent, else the time: the age of the last heartbeat. */
export function HeartbeatAge({ robot, now }: { robot: RobotView; now: number }) {
  const received = robot.last_status?.received_at;
  if (!received) return <Text c="dimmed">never</Text>;
  const seconds = Math.max(0, Math.round((now - Date.parse(received)) / 1000));
  const text = seconds < 60 ? `${seconds} s ago` : seconds < 3600 ? `${Math.floor(seconds / 60)} min ago` : new Date(received).toLocaleString();
  return (
    <Text size="sm" title={new Date(received).toLocaleString()}>
      {text}
    </Text>
  );
}
