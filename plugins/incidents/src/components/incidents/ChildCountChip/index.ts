export {
  ChildCountChip,
  isStormParent,
  STORM_DETECTOR,
} from './ChildCountChip';
