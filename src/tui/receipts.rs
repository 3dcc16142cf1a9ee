//! Receipts at this counter: built from an order and the shop's settings
//! as the store has them now, and printed with this counter's command or
//! written into its receipts folder. (`effects.rs` runs the store's
//! effects; receipts only read through the same store.)

use crate::app::{Action, PrintJob};
use crate::printer::{Printed, print_receipt};
use crate::receipt::receipt_of;
use crate::store::{self, Shop};

/// The receipt of order `id`, to show beside the next sale.
pub fn to_show(store: &dyn Shop, id: i64) -> store::Result<Action> {
    Ok(Action::ReceiptLoaded {
        order_id: id,
        receipt: build(store, id)?,
    })
}

/// The receipt of order `id`, to print.
pub fn to_print(store: &dyn Shop, id: i64) -> store::Result<Action> {
    Ok(Action::ReceiptReady {
        order_id: id,
        receipt: build(store, id)?,
    })
}

fn build(store: &dyn Shop, id: i64) -> store::Result<String> {
    let order = store.order(id)?;
    Ok(receipt_of(&order, &store.settings()?))
}

/// Prints a receipt with the counter's print command, or into a file in
/// its receipts folder, and says how it went.
pub fn print(job: PrintJob) -> Action {
    let id = job.order_id;
    let outcome = match print_receipt(&job.receipt, job.command.as_deref(), &job.folder, id) {
        Ok(Printed::ByCommand) => Ok(format!("Receipt of order {id} sent to the printer.")),
        Ok(Printed::ToFile(path)) => Ok(format!(
            "Receipt of order {id} written to {}.",
            path.display()
        )),
        Err(reason) => Err(format!("Receipt of order {id} not printed: {reason}")),
    };
    Action::ReceiptPrinted {
        order_id: id,
        outcome,
    }
}
