import { expose } from 'comlink';
import { createCompute } from './compute.ts';

expose(createCompute());
