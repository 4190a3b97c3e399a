import '@orderflow/auth/dist/node-version';
import { runService } from '@orderflow/runtime';
import { analyticsService } from './service';

runService(analyticsService, 4005);
