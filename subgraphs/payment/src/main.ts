import { runService } from '@orderflow/runtime';
import { paymentService } from './service';

runService(paymentService, 4003);
