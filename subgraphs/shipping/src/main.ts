import '@orderflow/auth/dist/node-version';
import { runService } from '@orderflow/runtime';
import { shippingService } from './service';

runService(shippingService, 4004);
