import { benchObservability } from './zz-obs.tmp';
await benchObservability();
