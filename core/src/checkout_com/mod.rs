//! seQura through checkout.com: Payment Setups with the `sequra` method
//! (`seeds/000`), and the webhooks checkout.com sends.
