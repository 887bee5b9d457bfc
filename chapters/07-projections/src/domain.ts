import { Domain } from 'protean-ts';

// #region domain
export const domain = new Domain({ name: 'bookshelf' });
// #endregion domain
