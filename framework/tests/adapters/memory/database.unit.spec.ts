import { createMemoryDatabase } from '../../../src/adapters/memory/database.js';
import { databaseContract } from '../../../src/testing/contracts/database.js';

databaseContract('memory', async () => createMemoryDatabase());
