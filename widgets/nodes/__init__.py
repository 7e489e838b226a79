"""Wall nodes and their controller: several PCs drive one wall over the site's broker."""
