/** The console's shared components. */
export { Badge, type BadgeProps } from './Badge';
export { ConditionEditor, type ConditionEditorProps } from './ConditionEditor';
export { ConfirmDialog } from './ConfirmDialog';
export { Field, type FieldControlProps, type FieldProps } from './Field';
export { FitRulesTable, type FitRulesTableProps } from './FitRulesTable';
export { LangSwitch } from './LangSwitch';
export { Layout, NAV } from './Layout';
export { RuleBuilder, type RuleBuilderProps } from './RuleBuilder';
export { ScoreChart, type ScoreChartProps } from './ScoreChart';
export { Empty, ErrorBox, Loading, type EmptyProps, type ErrorBoxProps } from './StatusView';
export { StatusActions, type StatusActionsProps } from './StatusActions';
export { CopyButton, type CopyButtonProps } from './CopyButton';
export { DeliveryLogTable, type DeliveryLogTableProps } from './DeliveryLogTable';
export { SecretPanel, type SecretPanelProps } from './SecretPanel';
export { MemberAlerts } from './MemberAlerts';
