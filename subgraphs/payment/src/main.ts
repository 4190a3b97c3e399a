import '@orderflow/auth/dist/node-version';
import { runService } from '@orderflow/runtime';
import { paymentService } from './service';

runService(paymentService, 4003);
